/**
 * Makes "save the alert and queue its notifications" one SQLite transaction.
 *
 * The engine awaits `store.commit()` and then the notifier awaits `outbox.enqueue()`, each on its own.
 * Inside `atomically(fn)` those writes are collected instead of run, and written together in one
 * transaction when `fn` returns. Buffering is scoped with AsyncLocalStorage, so a write from
 * elsewhere (the dispatcher marking a send) never lands in somebody else's batch.
 *
 * Within one engine operation every read happens before the first write, so nothing needs to read
 * a buffered write back; callers must not start a second operation before `atomically` resolves
 * (the alerts service runs them one at a time).
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type { Database, Queryable } from '../../store/database.ts'

export type Write = (tx: Queryable) => Promise<unknown>

export class UnitOfWork {
  readonly db: Database
  readonly #batch = new AsyncLocalStorage<Write[]>()

  constructor(db: Database) {
    this.db = db
  }

  /** Runs `fn`; every write it makes through `write()` is committed in one transaction afterwards. */
  async atomically<T>(fn: () => Promise<T>): Promise<T> {
    const writes: Write[] = []
    const result = await this.#batch.run(writes, fn)
    if (writes.length > 0) {
      await this.db.transaction(async (tx) => {
        for (const w of writes) await w(tx)
      })
    }
    return result
  }

  /** Runs now in its own transaction, or joins the batch of the surrounding `atomically`. */
  async write(w: Write): Promise<void> {
    const batch = this.#batch.getStore()
    if (batch) batch.push(w)
    else await this.db.transaction(w)
  }
}
