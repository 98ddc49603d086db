/** What happens to acknowledged data when the SD card fills up or turns read-only. */
import { expect, it } from 'vitest'
import type { StoreHealth } from '../../gateway/store/groupCommit.ts'
import { GroupCommitter } from '../../gateway/store/groupCommit.ts'
import { T0, weight } from './readings.ts'
import { useTempStore } from './tempDir.ts'

const s = useTempStore()

const burst = (from: number, n: number) => Array.from({ length: n }, (_, i) => weight(i, T0 + from + i, from + i))
const count = async () => (await s.store.db.get<{ n: number }>('SELECT count(*) AS n FROM readings'))?.n
const pageCount = async () => (await s.store.db.get<{ page_count: number }>('PRAGMA page_count'))?.page_count ?? 0

it('reports a full disk as a "full" error, loses nothing already committed, and recovers when space returns', async () => {
  const health: StoreHealth[] = []
  const gc = new GroupCommitter({ target: s.store, maxDelayMs: 2, onHealthChange: (h) => health.push(h) })
  await Promise.all(burst(0, 500).map((r) => gc.submit(r)))

  // max_page_count at the current size: SQLite answers SQLITE_FULL as a full card would.
  await s.store.db.exec(`PRAGMA max_page_count = ${await pageCount()}`)
  const results = await Promise.allSettled(burst(500, 2000).map((r) => gc.submit(r)))
  expect(results.every((r) => r.status === 'rejected' && (r.reason as { code?: string }).code === 'full')).toBe(true)
  expect(gc.health.healthy).toBe(false)
  expect(await count()).toBe(500)
  expect((await s.store.db.get<{ integrity_check: string }>('PRAGMA integrity_check'))?.integrity_check).toBe('ok')

  await s.store.db.exec('PRAGMA max_page_count = 1073741823')
  await Promise.all(burst(500, 2000).map((r) => gc.submit(r)))
  expect(await count()).toBe(2500)
  expect(health.map((h) => [h.healthy, h.lastError?.code])).toEqual([[false, 'full'], [true, 'full']])
  await gc.close()
})

it('reports a read-only database as a "readonly" error and stores again once it is writable', async () => {
  const gc = new GroupCommitter({ target: s.store, maxDelayMs: 2 })
  await gc.submit(weight(1, T0, 1))
  // query_only makes every write fail with SQLITE_READONLY, as a card remounted read-only does.
  await s.store.db.exec('PRAGMA query_only = ON')
  await expect(gc.submit(weight(2, T0 + 1, 2))).rejects.toMatchObject({ code: 'readonly' })
  await s.store.db.exec('PRAGMA query_only = OFF')
  await gc.submit(weight(3, T0 + 2, 3))
  expect((await s.store.readings({})).map((r) => r.seq)).toEqual([1, 3])
  await gc.close()
})
