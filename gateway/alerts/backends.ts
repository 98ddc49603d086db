/** Picks the alert backends: SQLite on the gateway's store file, or memory when there is none (broker-only tests). */
import type { SqliteStore } from '../store/sqliteStore.ts'
import { MemoryOutbox, type Outbox } from './delivery/outbox.ts'
import { SqliteAlertStore } from './sqlite/sqliteAlertStore.ts'
import { SqliteOutbox } from './sqlite/sqliteOutbox.ts'
import { UnitOfWork } from './sqlite/unitOfWork.ts'
import { MemoryAlertStore, type AlertStore } from './store.ts'

export interface AlertBackends {
  store: AlertStore
  outbox: Outbox
  /** Runs one engine operation so its alert writes and outbox entries commit together. */
  atomically<T>(fn: () => Promise<T>): Promise<T>
  durable: boolean
}

export function alertBackends(sqlite: SqliteStore | undefined): AlertBackends {
  if (!sqlite) return { store: new MemoryAlertStore(), outbox: new MemoryOutbox(), atomically: (fn) => fn(), durable: false }
  const uow = new UnitOfWork(sqlite.db)
  return { store: new SqliteAlertStore(uow), outbox: new SqliteOutbox(uow), atomically: (fn) => uow.atomically(fn), durable: true }
}
