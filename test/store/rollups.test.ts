import { join } from 'node:path'
import { expect, it } from 'vitest'
import { RollupAggregator } from '../../gateway/store/rollups.ts'
import { openSqliteStore } from '../../gateway/store/sqliteStore.ts'
import { T0, temp } from './readings.ts'
import { tempDir } from './tempDir.ts'

it('closes a minute of fridge temperatures into min, max, sum, count and last', () => {
  const agg = new RollupAggregator()
  for (const [s, c] of [[0, 3.5], [20, 4.5], [40, 4]] as const) agg.addReading(temp(c, T0 + s * 1000))
  expect(agg.closeUntil(T0 + 60_000)).toEqual([])
  expect(agg.closeUntil(T0 + 65_000)).toEqual([{ subject: 'cold/F1', metric: 'temp.air', minute: T0, min: 3.5, max: 4.5, sum: 12, count: 3, last: 4 }])
})

it('closes the previous minute as soon as a reading of the next minute arrives', () => {
  const agg = new RollupAggregator()
  agg.addReading(temp(3, T0))
  expect(agg.addReading(temp(4, T0 + 60_000)).map((r) => r.minute)).toEqual([T0])
})

it('drops a late reading for a minute already closed rather than overwriting it', () => {
  const agg = new RollupAggregator()
  agg.addReading(temp(3, T0))
  agg.closeUntil(T0 + 120_000)
  expect(agg.addReading(temp(9, T0 + 1000))).toEqual([])
  expect(agg.closeAll()).toEqual([])
  expect(agg.late).toBe(1)
})

it('writes closed minutes where the cloud bridge reads them, without copying them into the outbox', async () => {
  const { dir, cleanup } = await tempDir()
  const store = await openSqliteStore(join(dir, 'shelfgate.db'))
  const agg = new RollupAggregator()
  agg.addReading(temp(3, T0))
  await store.writeRollups(agg.closeAll(), T0 + 61_000)
  expect(await store.listRollups({ subject: 'cold/F1' })).toHaveLength(1)
  expect((await store.rollupsAfter(undefined, 10)).map((r) => r.subject)).toEqual(['cold/F1'])
  expect(await store.peek('cloud', 10, T0 + 61_000)).toEqual([])
  await store.close()
  await cleanup()
})
