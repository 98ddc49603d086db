import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSqlitePersistence } from '../../gateway/broker/persistence/sqlitePersistence.ts'
import { all, closeDb, exec, openDb } from '../../gateway/broker/persistence/sqliteFile.ts'
import { openStore, tempDir } from './storeHelpers.ts'

let dir: Awaited<ReturnType<typeof tempDir>>
beforeAll(async () => {
  dir = await tempDir('broker-durability')
})
afterAll(() => dir.cleanup())

const retained = (topic: string) => ({ cmd: 'publish', topic, payload: Buffer.from('1'), qos: 1, retain: true, brokerId: 'gateway' })

describe('broker store writes', () => {
  it('has a mutation committed to the file when its promise resolves, before any shutdown', async () => {
    const file = join(dir.path, 'committed.db')
    const store = await openStore(file)
    await store.storeRetained(retained('shelfgate/s1/state/cold/f1'))

    // A second connection sees only committed data: this is what survives kill -9.
    const reader = await openDb(file)
    const rows = await all<{ topic: string }>(reader, 'SELECT topic FROM retained')
    await closeDb(reader)
    expect(rows).toEqual([{ topic: 'shelfgate/s1/state/cold/f1' }])
    await store.destroy()
  })

  it('commits concurrent mutations together rather than one transaction each', async () => {
    const store = await openStore(join(dir.path, 'grouped.db'))
    await Promise.all(Array.from({ length: 500 }, (_, i) => store.storeRetained(retained(`shelfgate/s1/state/shelf/${i}`))))
    const { commits, rows } = store.stats()
    expect(rows).toBe(500)
    expect(commits).toBeLessThanOrEqual(5)
    await store.destroy()
  })

  it('rejects the mutations of a commit that fails, and keeps committing afterwards', async () => {
    const file = join(dir.path, 'failing.db')
    const store = await openStore(file)
    // Another connection breaks one table under the store: every write to it now fails.
    const saboteur = await openDb(file)
    await exec(saboteur, 'DROP TABLE retained')
    await closeDb(saboteur)

    await expect(store.storeRetained(retained('shelfgate/s1/state/cold/f1'))).rejects.toThrow(/no such table: retained/)
    await store.putWill({ id: 'shelf-7' }, { topic: 'shelfgate/s1/device/shelf-7/status', payload: Buffer.from('{"online":false}') })
    const reader = await openDb(file)
    expect(await all(reader, 'SELECT client_id FROM wills')).toEqual([{ client_id: 'shelf-7' }])
    await closeDb(reader)
    await store.destroy()
  })

  it('refuses a file written by a newer schema, naming the file', async () => {
    const file = join(dir.path, 'newer.db')
    const db = await openDb(file)
    await exec(db, 'PRAGMA user_version = 99')
    await closeDb(db)
    await expect(createSqlitePersistence({ path: file })).rejects.toThrow(/newer\.db: broker store has schema version 99/)
  })

  it('rejects mutations after destroy instead of losing them silently', async () => {
    const store = await openStore(join(dir.path, 'closed.db'))
    await store.destroy()
    await expect(store.storeRetained(retained('late'))).rejects.toThrow('broker store is closed')
  })
})
