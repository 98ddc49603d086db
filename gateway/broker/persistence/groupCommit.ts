import { deleteKeysSql, deleteOwnersSql, tables, upsertSql } from './schema.ts'
import type { TableName, TableSpec } from './schema.ts'
import { run } from './sqliteFile.ts'
import type { Db } from './sqliteFile.ts'

type Scalar = string | number

/** Net effect of the mutations since the last commit, per table: later mutations of a row replace earlier ones. */
interface PendingTable {
  /** Clients whose rows are wiped first; rows put after the wipe are in `rows` and applied after it. */
  readonly owners: Set<string>
  /** Row key (JSON) → row JSON to upsert, or null to delete. */
  readonly rows: Map<string, { readonly owner: string | undefined; readonly json: string | null }>
}

interface Batch {
  readonly tables: Map<TableName, PendingTable>
  readonly done: Promise<void>
  readonly resolve: () => void
  readonly reject: (err: unknown) => void
}

function newBatch(): Batch {
  const { promise, resolve, reject } = Promise.withResolvers<void>()
  // Callers await `done`; this branch only keeps a failure nobody waits for from being "unhandled".
  promise.catch(() => {})
  return { tables: new Map(), done: promise, resolve, reject }
}

interface Statements {
  readonly upsert: string
  readonly deleteKeys: string
  readonly deleteOwners: string | undefined
  readonly ownerIndex: number
}

function statementsFor(spec: TableSpec): Statements {
  return {
    upsert: upsertSql(spec),
    deleteKeys: deleteKeysSql(spec),
    deleteOwners: spec.ownerColumn === undefined ? undefined : deleteOwnersSql(spec),
    ownerIndex: spec.ownerColumn === undefined ? -1 : spec.columns.indexOf(spec.ownerColumn),
  }
}

/**
 * Group commit for the broker store. Mutations made while a transaction is being written are
 * gathered into the next one, so under load one fsync covers many acknowledgements; each
 * `commit()` promise resolves only once a transaction holding its mutations is durable.
 */
export class GroupCommit {
  readonly #db: Db
  readonly #sql: Record<TableName, Statements>
  #pending: Batch | null = null
  #writing: Batch | null = null
  #scheduled = false
  #closed = false
  #commits = 0
  #rows = 0

  constructor(db: Db) {
    this.#db = db
    this.#sql = {
      retained: statementsFor(tables.retained),
      subscriptions: statementsFor(tables.subscriptions),
      outgoing: statementsFor(tables.outgoing),
      incoming: statementsFor(tables.incoming),
      wills: statementsFor(tables.wills),
    }
  }

  /** Upserts a row: `values` are all columns but the last, `doc` the JSON document for the last. */
  put(table: TableName, values: readonly Scalar[], doc: string): void {
    const spec = tables[table]
    const index = this.#sql[table].ownerIndex
    const owner = index < 0 ? undefined : String(values[index])
    const row = `${JSON.stringify(values).slice(0, -1)},${doc}]`
    this.#table(table).rows.set(JSON.stringify(values.slice(0, spec.keyColumns)), { owner, json: row })
  }

  delete(table: TableName, key: readonly Scalar[]): void {
    this.#table(table).rows.set(JSON.stringify(key), { owner: undefined, json: null })
  }

  /** Deletes every row of one client (clean session); earlier pending rows of that client are dropped. */
  forgetOwner(table: TableName, owner: string): void {
    const pending = this.#table(table)
    for (const [key, row] of pending.rows) if (row.owner === owner) pending.rows.delete(key)
    pending.owners.add(owner)
  }

  /** Resolves when every mutation made so far is in a committed transaction. */
  commit(): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('broker store is closed'))
    const batch = (this.#pending ??= newBatch())
    if (!this.#scheduled && this.#writing === null) {
      this.#scheduled = true
      // setImmediate, not a microtask: lets the socket reads already waiting join this transaction.
      setImmediate(() => void this.#drain())
    }
    return batch.done
  }

  /** Writes what is pending, then refuses further mutations. Failures were reported to their callers. */
  async close(): Promise<void> {
    // Loop: a mutation may arrive while an earlier batch is written; none may be left unwritten.
    while (this.#pending !== null || this.#writing !== null) {
      await (this.#pending !== null ? this.commit() : this.#writing?.done)?.catch(() => {})
    }
    this.#closed = true
  }

  stats(): { commits: number; rows: number } {
    return { commits: this.#commits, rows: this.#rows }
  }

  #table(table: TableName): PendingTable {
    if (this.#closed) throw new Error('broker store is closed')
    const batch = (this.#pending ??= newBatch())
    let pending = batch.tables.get(table)
    if (pending === undefined) {
      pending = { owners: new Set(), rows: new Map() }
      batch.tables.set(table, pending)
    }
    return pending
  }

  async #drain(): Promise<void> {
    this.#scheduled = false
    while (this.#pending !== null) {
      const batch = this.#pending
      this.#pending = null
      this.#writing = batch
      try {
        await this.#write(batch)
        batch.resolve()
      } catch (err) {
        batch.reject(err)
      }
    }
    this.#writing = null
  }

  async #write(batch: Batch): Promise<void> {
    const db = this.#db
    if (batch.tables.size === 0) return
    await run(db, 'BEGIN IMMEDIATE')
    try {
      let rows = 0
      for (const [table, pending] of batch.tables) {
        const sql = this.#sql[table]
        if (pending.owners.size > 0 && sql.deleteOwners !== undefined) {
          await run(db, sql.deleteOwners, [JSON.stringify([...pending.owners])])
        }
        const deletes: string[] = []
        const upserts: string[] = []
        for (const [key, row] of pending.rows) {
          if (row.json === null) deletes.push(key)
          else upserts.push(row.json)
        }
        if (deletes.length > 0) await run(db, sql.deleteKeys, [`[${deletes.join(',')}]`])
        if (upserts.length > 0) await run(db, sql.upsert, [`[${upserts.join(',')}]`])
        rows += pending.owners.size + pending.rows.size
      }
      await run(db, 'COMMIT')
      this.#commits++
      this.#rows += rows
    } catch (err) {
      // A failed statement must not leave half a batch behind for the next COMMIT.
      await run(db, 'ROLLBACK').catch(() => {})
      throw err
    }
  }
}
