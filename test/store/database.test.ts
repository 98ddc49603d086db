import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { Database } from '../../gateway/store/database.ts'
import { StorageError } from '../../gateway/store/errors.ts'
import { LATEST_VERSION } from '../../gateway/store/migrations.ts'
import { openSqliteStore } from '../../gateway/store/sqliteStore.ts'
import { useTempDir } from './tempDir.ts'

const t = useTempDir()

it('opens the database durable for PUBACKs: WAL, synchronous FULL, incremental auto-vacuum, foreign keys', async () => {
  const store = await openSqliteStore(join(t.dir, 'shelfgate.db'))
  const pragma = async (name: string) => Object.values((await store.db.get<Record<string, unknown>>(`PRAGMA ${name}`)) ?? {})[0]
  expect(await pragma('journal_mode')).toBe('wal')
  expect(await pragma('synchronous')).toBe(2)
  expect(await pragma('auto_vacuum')).toBe(2)
  expect(await pragma('foreign_keys')).toBe(1)
  expect(await pragma('user_version')).toBe(LATEST_VERSION)
  await store.close()
})

it('reopens an existing database without migrating it twice', async () => {
  const path = join(t.dir, 'shelfgate.db')
  const first = await openSqliteStore(path)
  await first.kvSet('k', 'v', 1)
  await first.close()
  const again = await openSqliteStore(path)
  expect(await again.kvGet('k')).toBe('v')
  await again.close()
})

it('tells the installer which file is broken and how to restore it when the database is not a database', async () => {
  const path = join(t.dir, 'shelfgate.db')
  await writeFile(path, 'this is a text file, not SQLite '.repeat(200))
  const err = await openSqliteStore(path).catch((e: unknown) => e)
  expect(err).toBeInstanceOf(StorageError)
  expect(err).toMatchObject({ code: 'corrupt' })
  expect((err as Error).message).toContain(path)
  expect((err as Error).message).toContain('shelfgate restore BACKUP')
})

it('reports a missing data directory as an error naming the file', async () => {
  const path = join(t.dir, 'no-such-t.dir', 'shelfgate.db')
  await expect(Database.open(path)).rejects.toThrow(path)
})

it('rolls a failed transaction back so the next one starts clean', async () => {
  const store = await openSqliteStore(join(t.dir, 'shelfgate.db'))
  await expect(
    store.db.transaction(async (tx) => {
      await tx.run("INSERT INTO kv VALUES ('a', '1', 0)")
      await tx.run('INSERT INTO no_such_table VALUES (1)')
    }),
  ).rejects.toThrow(/no_such_table/)
  await store.kvSet('b', '2', 0)
  expect(await store.kvGet('a')).toBeUndefined()
  expect(await store.kvGet('b')).toBe('2')
  await store.close()
})

it('keeps a repeated statement prepared, names the file when it cannot be prepared, and still closes', async () => {
  const path = join(t.dir, 'shelfgate.db')
  const db = await Database.open(path)
  const insert = 'INSERT INTO later (n) VALUES (?)'
  const err = await db.runPrepared(insert, [1]).catch((e: unknown) => e)
  expect(err).toBeInstanceOf(StorageError)
  expect((err as Error).message).toContain(path)
  expect((err as Error).message).toContain('no such table: later')
  // A failed prepare is not kept: once the table exists the same statement works, again and again.
  await db.exec('CREATE TABLE later (n INTEGER)')
  for (let n = 1; n <= 3; n++) expect((await db.runPrepared(insert, [n])).changes).toBe(1)
  expect(await db.get<{ total: number }>('SELECT sum(n) AS total FROM later')).toEqual({ total: 6 })
  await db.close() // SQLite refuses to close with statements left open
  const reopened = await Database.open(path)
  expect(await reopened.get<{ rows: number }>('SELECT count(*) AS rows FROM later')).toEqual({ rows: 3 })
  await reopened.close()
})
