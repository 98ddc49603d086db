import { expect, it } from 'vitest'
import { prune } from '../../gateway/store/retention.ts'
import { T0, temp } from './readings.ts'
import { useTempStore } from './tempDir.ts'

const DAY = 86_400_000
const s = useTempStore()

it('prunes raw readings after 14 days in small chunks and keeps the newer ones', async () => {
  const old = Array.from({ length: 2500 }, (_, i) => temp(3, T0 - 15 * DAY + i))
  await s.store.insertReadings([...old, temp(4, T0 - DAY)])
  const result = await prune(s.store.db, T0, { chunk: 1000 })
  expect(result.deleted.readings).toBe(2500)
  expect((await s.store.readings({})).map((r) => r.ts)).toEqual([T0 - DAY])
})

it('keeps rollups and resolved alerts for two years, and the open alert for ever', async () => {
  const r = { subject: 'cold/F1', metric: 'temp.air', min: 3, max: 3, sum: 3, count: 1, last: 3 }
  await s.store.writeRollups([{ ...r, minute: T0 - 801 * DAY }, { ...r, minute: T0 - 700 * DAY }], T0 - 801 * DAY)
  const old = await s.store.raiseAlert({ rule: 'a', subject: 's', severity: 'info', at: T0 - 900 * DAY })
  await s.store.resolveAlert(old.id, 'system', T0 - 850 * DAY)
  await s.store.raiseAlert({ rule: 'b', subject: 's', severity: 'info', at: T0 - 900 * DAY })
  await prune(s.store.db, T0)
  expect((await s.store.listRollups({ subject: 'cold/F1' })).map((x) => x.minute)).toEqual([T0 - 700 * DAY])
  expect((await s.store.activeAlerts()).map((a) => a.rule)).toEqual(['b'])
  expect(await s.store.alertAudit(old.id)).toEqual([])
})

it('forgets sent outbox messages after a week but never pending ones', async () => {
  await s.store.enqueue([{ stream: 'cloud', kind: 'health', dedupeId: 'sent', payload: {} }, { stream: 'cloud', kind: 'health', dedupeId: 'pending', payload: {} }], T0 - 10 * DAY)
  const [sent] = await s.store.peek('cloud', 1, T0)
  await s.store.ack([sent!.id], T0 - 8 * DAY)
  const result = await prune(s.store.db, T0)
  expect(result.deleted.outbox).toBe(1)
  expect((await s.store.peek('cloud', 10, T0)).map((i) => i.dedupeId)).toEqual(['pending'])
})

it('gives the freed space back to the SD card', async () => {
  await s.store.insertReadings(Array.from({ length: 20_000 }, (_, i) => temp(i, T0 - 20 * DAY + i)))
  const pages = async () => (await s.store.db.get<{ page_count: number }>('PRAGMA page_count'))?.page_count ?? 0
  const before = await pages()
  const result = await prune(s.store.db, T0)
  expect(result.vacuumedPages).toBeGreaterThan(0)
  expect(await pages()).toBeLessThan(before)
})
