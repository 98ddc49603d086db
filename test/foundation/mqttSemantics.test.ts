import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { collect, eventually, startHarness, type Harness } from '../support/gatewayHarness.ts'

let h: Harness
beforeEach(async () => {
  h = await startHarness({ broker: '{ authFailuresPerMin: 50, publishRatePerSec: 5, publishBurst: 5 }' })
})
afterEach(async () => {
  await h.stop()
})

describe('MQTT 3.1.1 semantics for devices', () => {
  it('keeps a retained device status for subscribers that arrive later', async () => {
    const f1 = await h.connect('cold-f1')
    await f1.publishAsync('shelfgate/s1/device/cold-f1/status', '{"online":true,"fw":"1.4.2"}', { qos: 1, retain: true })
    const ops = await h.connect('ops')
    const seen = collect(ops)
    await ops.subscribeAsync('shelfgate/s1/device/+/status')
    await eventually(() => seen.some((m) => m.retain), 3000, 'the retained status')
    // A subscriber arriving while the publish is still being stored may also get it live; the retained copy is what counts.
    expect(seen.find((m) => m.retain)).toMatchObject({ payload: '{"online":true,"fw":"1.4.2"}', retain: true })
  })

  it("publishes a device's last will when it drops off without DISCONNECT", async () => {
    const ops = await h.connect('ops')
    await ops.subscribeAsync('shelfgate/s1/device/+/status')
    const seen = collect(ops)
    const f1 = await h.connect('cold-f1', { will: { topic: 'shelfgate/s1/device/cold-f1/status', payload: Buffer.from('{"online":false}'), qos: 1, retain: true } })
    ;(f1 as unknown as { stream: { destroy(): void } }).stream.destroy()
    await eventually(() => seen.some((m) => m.payload === '{"online":false}'), 3000, 'the last will')
    await eventually(() => h.gw.stats.get('cold-f1').connected === false, 3000, 'the device to be marked offline')
  })

  it.each([0, 1, 2] as const)('accepts a reading published at QoS %i', async (qos) => {
    const ops = await h.connect('ops')
    await ops.subscribeAsync('shelfgate/s1/cold/#', { qos: 2 })
    const seen = collect(ops)
    const f1 = await h.connect('cold-f1')
    await f1.publishAsync('shelfgate/s1/cold/F1/temp', '{"c":3.9}', { qos })
    await eventually(() => seen.length === 1, 3000, 'the forwarded reading')
    expect(await h.metric('shelfgate_readings_total', { kind: 'cold.temp' })).toBe(1)
  })

  it('queues QoS 1 messages for a persistent session while it is offline', async () => {
    const k1 = await h.connect('locker-k1', { clean: false })
    await k1.subscribeAsync('shelfgate/s1/cmd/locker/K1/#', { qos: 1 })
    await k1.endAsync()
    await h.gw.broker.publish('shelfgate/s1/cmd/locker/K1/5/unlock', { by: 'staff' }, { qos: 1 })
    const back = await h.connect('locker-k1', { clean: false })
    const got = collect(back)
    await eventually(() => got.length === 1, 3000, 'the queued command')
    expect(got[0]?.topic).toBe('shelfgate/s1/cmd/locker/K1/5/unlock')
  })

  it('accepts a zero-length client id with a clean session', async () => {
    const c = await h.connect('shelf-a1', { clientId: '', clean: true })
    await c.publishAsync('shelfgate/s1/shelf/A1/L1/weight', '{"g":262}', { qos: 1 })
    expect(await h.metric('shelfgate_readings_total', { kind: 'shelf.weight' })).toBe(1)
  })
})

describe('per-client rate limit', () => {
  it('drops QoS 0 publishes over the rate and counts them, but keeps every QoS 1 reading (the device is slowed down instead)', async () => {
    const f1 = await h.connect('cold-f1')
    for (let i = 0; i < 12; i++) f1.publish('shelfgate/s1/cold/F1/temp', `{"c":3.${i % 10}}`, { qos: 0 })
    // Every QoS 0 publish is either accepted or dropped-and-counted.
    await eventually(
      async () => (await h.metric('shelfgate_rate_limited_total', { action: 'dropped' })) + (await h.metric('shelfgate_readings_total', { kind: 'cold.temp' })) === 12,
      3000,
      'all QoS 0 publishes to be accounted for',
    )
    expect(await h.metric('shelfgate_rate_limited_total', { action: 'dropped' })).toBeGreaterThanOrEqual(6)
    const before = await h.metric('shelfgate_readings_total', { kind: 'cold.temp' })
    await Promise.all(Array.from({ length: 8 }, (_, i) => f1.publishAsync('shelfgate/s1/cold/F1/temp', `{"c":4.${i}}`, { qos: 1 })))
    expect((await h.metric('shelfgate_readings_total', { kind: 'cold.temp' })) - before).toBe(8)
    expect(await h.metric('shelfgate_rate_limited_total', { action: 'held' })).toBeGreaterThan(0)
  })
})
