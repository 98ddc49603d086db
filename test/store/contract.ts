/**
 * The storage contract (the aedes persistence habit): every Storage implementation runs this
 * same suite. Call storageContract(name, factory) from a *.test.ts file.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Storage } from '../../gateway/store/types.ts'
import { oneOfEach, T0, temp, weight } from './readings.ts'

export interface StoreUnderTest {
  store: Storage
  cleanup: () => Promise<void>
}

export function storageContract(name: string, factory: () => Promise<StoreUnderTest>): void {
  describe(`storage contract: ${name}`, () => {
    let s: StoreUnderTest
    let store: Storage
    beforeEach(async () => {
      s = await factory()
      store = s.store
    })
    afterEach(async () => {
      await store.close()
      await s.cleanup()
    })

    it('gives back every kind of reading exactly as it was stored', async () => {
      expect(await store.insertReadings(oneOfEach)).toBe(oneOfEach.length)
      expect(await store.readings({})).toEqual(oneOfEach)
    })

    it('stores a QoS 1 redelivery (same device, seq and ts) only once', async () => {
      await store.insertReadings([weight(100, T0, 1), weight(101, T0 + 1, 2)])
      expect(await store.insertReadings([weight(100, T0, 1), weight(102, T0 + 2, 3)])).toBe(1)
      expect((await store.readings({})).map((r) => r.seq)).toEqual([1, 2, 3])
    })

    it('stores a reading without a seq once when its device repeats it in the same millisecond (a QoS 1 redelivery)', async () => {
      await store.insertReadings([temp(3, T0), temp(3, T0)])
      expect(await store.readings({})).toHaveLength(1)
    })

    it('keeps readings without a seq that differ in time', async () => {
      await store.insertReadings([temp(3, T0), temp(3, T0 + 1)])
      expect(await store.readings({})).toHaveLength(2)
    })

    it('finds readings by subject and time window, oldest first', async () => {
      await store.insertReadings([temp(4, T0 + 2000), weight(5, T0 + 1000), temp(3, T0 + 1000), temp(5, T0 + 3000)])
      const got = await store.readings({ subject: 'cold/F1', from: T0 + 1000, to: T0 + 3000 })
      expect(got.map((r) => (r.kind === 'cold.temp' ? r.c : null))).toEqual([3, 4])
    })

    it('remembers the latest state per key for restart recovery', async () => {
      await store.putState('shelf/A/1', { count: 3 }, T0)
      await store.putState('shelf/A/1', { count: 2 }, T0 + 1)
      await store.putState('cold/F1', { status: 'ok' }, T0)
      expect(await store.getState('shelf/A/1')).toEqual({ key: 'shelf/A/1', value: { count: 2 }, ts: T0 + 1 })
      expect((await store.listStates('shelf/')).map((e) => e.key)).toEqual(['shelf/A/1'])
      expect(await store.getState('nope')).toBeUndefined()
    })

    it('records a pick event once even when the processor replays it', async () => {
      const pick = { ts: T0, type: 'pick', subject: 'shelf/A/1', data: { items: 1 }, dedupeKey: 'pick:A/1:1' }
      expect(await store.appendEvent(pick)).toBe(true)
      expect(await store.appendEvent(pick)).toBe(false)
      await store.appendEvent({ ts: T0 + 1, type: 'put', subject: 'shelf/A/1' })
      const events = await store.listEvents({ subject: 'shelf/A/1' })
      expect(events.map((e) => e.type)).toEqual(['pick', 'put'])
      expect(events[0]?.data).toEqual({ items: 1 })
    })

    it('stores a batch of events once each, ignoring duplicates already stored or within the batch', async () => {
      const pick = { ts: T0, type: 'pick', subject: 'shelf/A/1', data: { items: 1 }, dedupeKey: 'pick:A/1:1' }
      expect(await store.appendEvent(pick)).toBe(true)
      const put = { ts: T0 + 1, type: 'put', subject: 'shelf/A/1', data: { items: 2 }, dedupeKey: 'put:A/1:2' }
      expect(await store.appendEvents([pick, put, put, { ts: T0 + 2, type: 'count', subject: 'shelf/A/1' }])).toBe(2)
      const events = await store.listEvents({ subject: 'shelf/A/1' })
      expect(events.map((e) => e.type)).toEqual(['pick', 'put', 'count'])
      expect(events[1]?.data).toEqual({ items: 2 })
      expect(events[2]?.data).toBeUndefined()
    })

    it('writes a closed minute once, keeping the newest figures', async () => {
      const r = { subject: 'cold/F1', metric: 'temp.air', minute: T0, min: 3, max: 4, sum: 7, count: 2, last: 4 }
      await store.writeRollups([r], T0)
      await store.writeRollups([{ ...r, max: 5, sum: 12, count: 3, last: 5 }], T0 + 1)
      expect(await store.listRollups({ subject: 'cold/F1' })).toEqual([{ ...r, max: 5, sum: 12, count: 3, last: 5 }])
    })

    it('hands closed minutes to the cloud bridge in order, from its cursor on', async () => {
      const r = (minute: number, subject: string) => ({ subject, metric: 'g', minute, min: 1, max: 1, sum: 1, count: 1, last: 1 })
      await store.writeRollups([r(T0 + 60_000, 'shelf/A/1'), r(T0, 'shelf/B/1'), r(T0, 'shelf/A/1')], T0)
      const first = await store.rollupsAfter(undefined, 2)
      expect(first.map((x) => `${x.minute - T0}|${x.subject}`)).toEqual(['0|shelf/A/1', '0|shelf/B/1'])
      const rest = await store.rollupsAfter(first[1], 10)
      expect(rest.map((x) => `${x.minute - T0}|${x.subject}`)).toEqual(['60000|shelf/A/1'])
    })

    it('hands the outbox out in order and forgets what was acknowledged', async () => {
      const items = [1, 2, 3].map((n) => ({ stream: 'cloud', kind: 'alert' as const, dedupeId: `a${n}`, payload: { n } }))
      expect(await store.enqueue(items, T0)).toBe(3)
      const first = await store.peek('cloud', 2, T0)
      expect(first.map((i) => i.payload)).toEqual([{ n: 1 }, { n: 2 }])
      await store.ack(first.map((i) => i.id), T0 + 1)
      expect((await store.peek('cloud', 10, T0 + 1)).map((i) => i.payload)).toEqual([{ n: 3 }])
      expect(await store.outboxSize('cloud')).toEqual({ rows: 1, bytes: JSON.stringify({ n: 3 }).length })
    })

    it('does not queue a message again once it was sent', async () => {
      const item = { stream: 'channel:wecom', kind: 'alert' as const, dedupeId: 'x', payload: { v: 1 } }
      await store.enqueue([item], T0)
      const [queued] = await store.peek('channel:wecom', 1, T0)
      await store.ack([queued!.id], T0)
      expect(await store.enqueue([{ ...item, payload: { v: 2 } }], T0 + 1)).toBe(0)
      expect(await store.outboxSize()).toEqual({ rows: 0, bytes: 0 })
    })

    it('holds a failed send back until its next attempt time', async () => {
      await store.enqueue([{ stream: 'cloud', kind: 'health', dedupeId: 'h1', payload: {} }], T0)
      const [item] = await store.peek('cloud', 1, T0)
      await store.fail(item!.id, 'ECONNREFUSED', T0 + 5000)
      expect(await store.peek('cloud', 1, T0 + 4999)).toEqual([])
      expect((await store.peek('cloud', 1, T0 + 5000))[0]?.attempts).toBe(1)
    })

    it('drops the oldest rollups, never alerts, when the outbox is over its size cap', async () => {
      const mk = (kind: 'rollup' | 'alert', n: number) => ({ stream: 'cloud', kind, dedupeId: `${kind}${n}`, payload: { pad: 'x'.repeat(90) } })
      await store.enqueue([mk('rollup', 1), mk('alert', 1), mk('rollup', 2), mk('rollup', 3)], T0)
      const each = (await store.outboxSize('cloud')).bytes / 4
      expect(await store.trimOutbox('cloud', each * 2)).toBe(2)
      expect((await store.peek('cloud', 10, T0)).map((i) => i.dedupeId)).toEqual(['alert1', 'rollup3'])
    })

    it('keeps an audit trail of who did what', async () => {
      await store.appendAudit({ at: T0, actor: 'installer', action: 'device.add', target: 'shelf-a' })
      await store.appendAudit({ at: T0 + 1, actor: 'li', action: 'config.reload', details: { ok: true } })
      expect(await store.listAudit({ from: T0 + 1 })).toEqual([{ at: T0 + 1, actor: 'li', action: 'config.reload', details: { ok: true } }])
    })

    it('keeps small facts such as the clock sync state', async () => {
      await store.kvSet('clock.synced', 'true', T0)
      await store.kvSet('clock.synced', 'false', T0 + 1)
      expect(await store.kvGet('clock.synced')).toBe('false')
      expect(await store.kvGet('missing')).toBeUndefined()
    })

    it('keeps one alert per rule and subject while it is open, and audits each transition', async () => {
      const raise = { rule: 'cold.excursion', subject: 'cold/F1', severity: 'warning' as const, at: T0 }
      const a = await store.raiseAlert(raise)
      const again = await store.raiseAlert({ ...raise, severity: 'critical', at: T0 + 60_000 })
      expect(again).toMatchObject({ id: a.id, repeats: 1, severity: 'critical', state: 'open' })
      await store.acknowledgeAlert(a.id, 'li', T0 + 120_000, 'moving stock')
      const resolved = await store.resolveAlert(a.id, 'li', T0 + 180_000, 'door seal replaced')
      expect(resolved).toMatchObject({ state: 'resolved', acknowledgedBy: 'li', resolvedBy: 'li', note: 'door seal replaced' })
      expect(await store.activeAlerts()).toEqual([])
      expect((await store.alertAudit(a.id)).map((e) => `${e.from}->${e.to}`)).toEqual(['null->open', 'open->acknowledged', 'acknowledged->resolved'])
      const next = await store.raiseAlert({ ...raise, at: T0 + 240_000 })
      expect(next.id).not.toBe(a.id)
    })

    it('refuses to acknowledge an alert that is already resolved', async () => {
      const a = await store.raiseAlert({ rule: 'r', subject: 's', severity: 'info', at: T0 })
      await store.resolveAlert(a.id, 'system', T0 + 1)
      await expect(store.acknowledgeAlert(a.id, 'li', T0 + 2)).rejects.toThrow(/resolved/)
    })
  })
}
