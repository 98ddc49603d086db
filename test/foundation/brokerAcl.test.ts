import { describe, expect, it } from 'vitest'
import { collect, eventually, useGateway } from '../support/gatewayHarness.ts'

const g = useGateway()

describe('topic ACL', () => {
  it("refuses and counts a shelf device publishing on another shelf's lane, and nobody receives it", async () => {
    const ops = await g.h.connect('ops')
    await ops.subscribeAsync('shelfgate/s1/#')
    const seen = collect(ops)
    const a1 = await g.h.connect('shelf-a1')
    await a1.publishAsync('shelfgate/s1/shelf/B1/L1/weight', '{"g":572}', { qos: 1 })
    await a1.publishAsync('shelfgate/s1/shelf/A1/L1/weight', '{"g":262}', { qos: 1 })
    await eventually(() => seen.length >= 1, 3000, 'the allowed reading to be forwarded')
    expect(seen.map((m) => m.topic)).toEqual(['shelfgate/s1/shelf/A1/L1/weight'])
    expect(g.readings).toHaveLength(1)
    expect(await g.h.metric('shelfgate_refused_payloads_total', { reason: 'not_permitted' })).toBe(1)
    expect(g.h.gw.stats.get('shelf-a1').refused.not_permitted).toBe(1)
  })

  it('refuses a cold sensor publishing shelf weights', async () => {
    const f1 = await g.h.connect('cold-f1')
    await f1.publishAsync('shelfgate/s1/shelf/A1/L1/weight', '{"g":262}', { qos: 1 })
    expect(await g.h.metric('shelfgate_refused_payloads_total', { reason: 'not_permitted' })).toBe(1)
    expect(g.readings).toHaveLength(0)
  })

  it.each(['state/shelf/A1/L1', 'alerts/cold.excursion.alarm-F1', 'cmd/locker/K1/3/unlock', 'events/shelf/A1/L1'])(
    'refuses a device publishing on the gateway-owned topic %s',
    async (path) => {
      const ops = await g.h.connect('ops')
      await ops.subscribeAsync('shelfgate/s1/#')
      const seen = collect(ops)
      const a1 = await g.h.connect('shelf-a1')
      await a1.publishAsync(`shelfgate/s1/${path}`, '{"open":true}', { qos: 1, retain: true })
      expect(await g.h.metric('shelfgate_refused_payloads_total', { reason: 'gateway_topic' })).toBe(1)
      // A fresh subscriber gets no retained copy either.
      const late = await g.h.connect('ops', { clientId: 'ops-late' })
      const lateSeen = collect(late)
      await late.subscribeAsync('shelfgate/s1/#')
      await new Promise((r) => setTimeout(r, 100))
      expect(seen).toHaveLength(0)
      expect(lateSeen).toHaveLength(0)
    },
  )

  it('refuses a reading for a lane that is not in the config as an unknown subject', async () => {
    const a1 = await g.h.connect('shelf-a1')
    await a1.publishAsync('shelfgate/s1/shelf/A1/L9/weight', '{"g":1}', { qos: 1 })
    expect(await g.h.metric('shelfgate_refused_payloads_total', { reason: 'unknown_subject' })).toBe(1)
  })

  it("refuses a device's subscription to another device's commands (SUBACK failure) and grants its own", async () => {
    const k1 = await g.h.connect('locker-k1')
    // mqtt.js reports a failed SUBACK entry as an error; the SUBACK packet still carries every grant.
    const granted = await new Promise<number[]>((resolve) =>
      k1.subscribe(['shelfgate/s1/cmd/locker/K1/#', 'shelfgate/s1/cmd/cold/F1/#', 'shelfgate/s1/#'], (err, grants) => {
        const packet = (err as { packet?: { granted: number[] } } | null)?.packet
        resolve(packet?.granted ?? (grants ?? []).map((g) => g.qos))
      }),
    )
    expect(granted).toEqual([0, 128, 128])
  })

  it('delivers a gateway command to the device that owns the subject', async () => {
    const k1 = await g.h.connect('locker-k1')
    await k1.subscribeAsync('shelfgate/s1/cmd/locker/K1/#', { qos: 1 })
    const got = collect(k1)
    await g.h.gw.broker.publish('shelfgate/s1/cmd/locker/K1/3/unlock', { by: 'test' })
    await eventually(() => got.length === 1, 3000, 'the unlock command')
    expect(got[0]?.topic).toBe('shelfgate/s1/cmd/locker/K1/3/unlock')
  })
})
