import { join } from 'node:path'
import { expect, it } from 'vitest'
import { Database } from '../../gateway/store/database.ts'
import { migrations } from '../../gateway/store/migrations.ts'
import { toRow } from '../../gateway/store/readingRows.ts'
import { openSqliteStore } from '../../gateway/store/sqliteStore.ts'
import { oneOfEach, T0, temp, weight } from './readings.ts'
import { useTempDir } from './tempDir.ts'

// Raw readings are stored under a channel id (migration 3) and read back through the `readings`
// view in the shape they always had.
const t = useTempDir()

it('keeps every reading stored before the upgrade, and still stores a redelivered one once', async () => {
  const path = join(t.dir, 'shelfgate.db')
  // A database as schema 2 left it, with readings in the old wide table.
  const old = await Database.open(path)
  for (const m of migrations.filter((m) => m.version <= 2)) await old.exec(m.up)
  await old.exec('PRAGMA user_version = 2')
  for (const r of oneOfEach) {
    const row = toRow(r)
    await old.run('INSERT INTO readings (device, kind, subject, ts, seq, v, x) VALUES (?, ?, ?, ?, ?, ?, ?)', [row.device, row.kind, row.subject, row.ts, row.seq ?? -1, row.v, row.x])
  }
  await old.close()

  const store = await openSqliteStore(path)
  expect(await store.readings({})).toEqual(oneOfEach)
  // The dedupe key survived: a QoS 1 redelivery after the upgrade is not stored twice.
  expect(await store.insertReadings([oneOfEach[0] as never])).toBe(0)
  expect(await store.insertReadings([weight(1400, T0 + 60_000, 8)])).toBe(1)
  expect(await store.readings({ subject: 'shelf/A/1' })).toEqual([oneOfEach[0], weight(1400, T0 + 60_000, 8)])
  await store.close()
})

it('gives a channel first seen after a restart its own id, next to the ones from before', async () => {
  const path = join(t.dir, 'shelfgate.db')
  const first = await openSqliteStore(path)
  await first.insertReadings([weight(1000, T0, 1), temp(3.5, T0 + 1)])
  await first.close()
  const again = await openSqliteStore(path)
  await again.insertReadings([weight(1001, T0 + 2, 2, '2'), weight(990, T0 + 3, 2), temp(3.6, T0 + 4)])
  expect(await again.readings({})).toEqual([weight(1000, T0, 1), temp(3.5, T0 + 1), weight(1001, T0 + 2, 2, '2'), weight(990, T0 + 3, 2), temp(3.6, T0 + 4)])
  expect((await again.db.get<{ n: number }>('SELECT count(*) AS n FROM channels'))?.n).toBe(3)
  await again.close()
})

it('writes a new channel again with the next batch when the batch that introduced it failed', async () => {
  const store = await openSqliteStore(join(t.dir, 'shelfgate.db'))
  // The disk "fails" for exactly one batch: the one that sees lane 7 for the first time.
  await store.db.exec(`CREATE TEMP TABLE failing (on_ INTEGER); INSERT INTO failing VALUES (1);
    CREATE TEMP TRIGGER fail_once BEFORE INSERT ON main.raw_readings WHEN (SELECT on_ FROM failing) = 1
    BEGIN SELECT RAISE(ABORT, 'simulated I/O error'); END;`)
  await expect(store.insertReadings([weight(500, T0, 1, '7')])).rejects.toThrow(/simulated I\/O error/)
  await store.db.exec('UPDATE failing SET on_ = 0')
  expect(await store.insertReadings([weight(510, T0 + 1, 2, '7')])).toBe(1)
  // Without its channel row the view would not show the reading at all.
  expect(await store.readings({ subject: 'shelf/A/7' })).toEqual([weight(510, T0 + 1, 2, '7')])
  await store.close()
})

it('attributes every reading to its own channel when another connection added channels meanwhile', async () => {
  const path = join(t.dir, 'shelfgate.db')
  const gateway = await openSqliteStore(path)
  const other = await openSqliteStore(path) // a second writer on the same file, loaded before either wrote
  await other.insertReadings([temp(3.5, T0)])
  await gateway.insertReadings([weight(1000, T0 + 1, 1), temp(3.6, T0 + 2)])
  await other.insertReadings([weight(990, T0 + 3, 2)])
  expect(await gateway.readings({})).toEqual([temp(3.5, T0), weight(1000, T0 + 1, 1), temp(3.6, T0 + 2), weight(990, T0 + 3, 2)])
  await other.close()
  await gateway.close()
})
