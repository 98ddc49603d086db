import { afterEach, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SqliteOutbox } from '../../gateway/alerts/sqlite/sqliteOutbox.ts'
import { SqliteAlertStore } from '../../gateway/alerts/sqlite/sqliteAlertStore.ts'
import { UnitOfWork } from '../../gateway/alerts/sqlite/unitOfWork.ts'
import { openSqliteStore, type SqliteStore } from '../../gateway/store/sqliteStore.ts'
import { alertStoreContract, outboxContract } from './contracts.ts'
import { message } from './message.ts'

const opened: { store: SqliteStore; dir: string }[] = []

async function uow(): Promise<UnitOfWork> {
  const dir = mkdtempSync(join(tmpdir(), 'shelfgate-alerts-'))
  const store = await openSqliteStore(join(dir, 'shelfgate.db'))
  opened.push({ store, dir })
  return new UnitOfWork(store.db)
}

afterEach(async () => {
  for (const { store, dir } of opened.splice(0)) {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  }
})

alertStoreContract('SQLite', async () => new SqliteAlertStore(await uow()))
outboxContract('SQLite', async () => new SqliteOutbox(await uow()))

describe('saving an alert with its notifications', () => {
  const alert = {
    id: 'a1', rule: 'cold.excursion.alarm', subject: 'cold/F1', area: 'fresh', severity: 'critical', status: 'open',
    message: { key: 'cold.excursion.alarm', params: {} }, openedAt: 1, lastSeenAt: 1, occurrences: 1, escalationLevel: 0,
  } as const

  it('writes neither the alert nor its outbox entry when the batch fails', async () => {
    const u = await uow()
    const store = new SqliteAlertStore(u)
    const outbox = new SqliteOutbox(u)
    const entry = { id: 'o1', channel: 'wecom', message: message(), idempotencyKey: 'o1', createdAt: 1, notBefore: 1, attempts: 0, held: false, status: 'pending' as const }
    await expect(
      u.atomically(async () => {
        await store.commit({ ...alert, message: { ...alert.message } }, [{ alertId: 'a1', at: 1, who: 'system', what: 'opened' }])
        await outbox.enqueue(entry)
        await u.write((tx) => tx.run('INSERT INTO no_such_table VALUES (1)'))
      }),
    ).rejects.toThrow()
    expect(await store.get('a1')).toBeUndefined()
    expect(await outbox.list()).toEqual([])
  })

  it('writes both once the batch commits', async () => {
    const u = await uow()
    const store = new SqliteAlertStore(u)
    const outbox = new SqliteOutbox(u)
    await u.atomically(async () => {
      await store.commit({ ...alert, message: { ...alert.message } }, [])
      await outbox.enqueue({ id: 'o1', channel: 'wecom', message: message(), idempotencyKey: 'o1', createdAt: 1, notBefore: 1, attempts: 0, held: false, status: 'pending' })
      expect(await store.get('a1')).toBeUndefined() // not yet: still in the batch
    })
    expect((await store.get('a1'))?.status).toBe('open')
    expect((await outbox.list()).map((e) => e.id)).toEqual(['o1'])
  })
})
