/**
 * The one SQLite connection of the gateway process, opened with the settings the hot path relies
 * on (DESIGN §3): WAL + synchronous=FULL, so a COMMIT that returned survives kill -9 and power loss.
 *
 * Every statement goes through one promise lock, so a transaction never picks up a stray statement
 * from another part of the gateway (they share the connection) and only one transaction is in flight.
 */
import sqlite3 from 'sqlite3'
import { StorageError, storageErrorCodeOf, toStorageError } from './errors.ts'

export interface RunResult {
  changes: number
  lastID: number
}

/** What a transaction body (or any caller) can do with the connection. */
export interface Queryable {
  run(sql: string, params?: unknown[]): Promise<RunResult>
  get<T>(sql: string, params?: unknown[]): Promise<T | undefined>
  all<T>(sql: string, params?: unknown[]): Promise<T[]>
  exec(sql: string): Promise<void>
}

export interface OpenOptions {
  /** How long a statement waits for another process (the bridge) to release a lock. */
  busyTimeoutMs?: number
  /** 'quick' runs PRAGMA quick_check at open: reads the whole file, so seconds on a big SD card. */
  check?: 'none' | 'quick'
}

export const RESTORE_HINT = 'Stop the gateway and restore the last good backup with `shelfgate restore BACKUP`.'

function corruptAtOpen(path: string, err: unknown): StorageError {
  const detail = err instanceof Error ? err.message : String(err)
  return new StorageError('corrupt', `${path} is not a readable Shelfgate database (${detail}). ${RESTORE_HINT}`, {
    cause: err,
  })
}

/** Raw callbacks → promises, with no lock: used inside the lock. */
function direct(raw: sqlite3.Database): Queryable {
  return {
    run: (sql, params = []) =>
      new Promise((resolve, reject) => {
        raw.run(sql, params, function (this: sqlite3.RunResult, err: Error | null) {
          if (err) reject(err)
          else resolve({ changes: this.changes, lastID: this.lastID })
        })
      }),
    get: <T>(sql: string, params: unknown[] = []) =>
      new Promise<T | undefined>((resolve, reject) => {
        raw.get<T>(sql, params, (err, row) => (err ? reject(err) : resolve(row)))
      }),
    all: <T>(sql: string, params: unknown[] = []) =>
      new Promise<T[]>((resolve, reject) => {
        raw.all<T>(sql, params, (err, rows) => (err ? reject(err) : resolve(rows)))
      }),
    exec: (sql) =>
      new Promise((resolve, reject) => {
        raw.exec(sql, (err) => (err ? reject(err) : resolve()))
      }),
  }
}

function isSqliteError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' && code.startsWith('SQLITE_')
}

export class Database implements Queryable {
  readonly path: string
  readonly raw: sqlite3.Database
  #q: Queryable
  #tail: Promise<unknown> = Promise.resolve()
  /** Statements of runPrepared, by their SQL; finalized at close. */
  readonly #prepared = new Map<string, Promise<sqlite3.Statement>>()
  #closed = false
  #closing: Promise<void> | undefined

  private constructor(path: string, raw: sqlite3.Database) {
    this.path = path
    this.raw = raw
    this.#q = direct(raw)
  }

  static async open(path: string, options: OpenOptions = {}): Promise<Database> {
    const raw = await new Promise<sqlite3.Database>((resolve, reject) => {
      const d: sqlite3.Database = new sqlite3.Database(path, sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE, (err) =>
        err ? reject(toStorageError(err, `cannot open database ${path}`)) : resolve(d),
      )
    })
    const db = new Database(path, raw)
    try {
      await db.#configure(options)
    } catch (err) {
      await db.close().catch(() => {})
      throw err
    }
    return db
  }

  async #configure(options: OpenOptions): Promise<void> {
    const q = this.#q
    const busy = options.busyTimeoutMs ?? 5_000
    this.raw.configure('busyTimeout', busy)
    // The first read of the schema is where a non-database or mangled header shows up.
    try {
      await q.get('SELECT count(*) AS n FROM sqlite_schema')
    } catch (err) {
      throw storageErrorCodeOf(err) === 'corrupt' ? corruptAtOpen(this.path, err) : toStorageError(err, `cannot read ${this.path}`)
    }
    // Both only take effect before the first table exists, so they come before migrations.
    // 1 KiB pages: a typical commit (one cold unit's reading) is one WAL frame of 1,048 bytes, which
    // mostly dirties one 4 KiB page of the file system instead of the two a 4,120-byte frame
    // straddles. On the reference store that is a third fewer bytes written to the SD card per day
    // (docs/performance.md). A database created with another page size keeps it (WAL cannot change it).
    await q.exec('PRAGMA page_size = 1024; PRAGMA auto_vacuum = INCREMENTAL')
    const mode = await q.get<{ journal_mode: string }>('PRAGMA journal_mode = WAL')
    if (mode?.journal_mode !== 'wal') {
      throw new StorageError('readonly', `${this.path}: could not switch to WAL (got ${mode?.journal_mode}); is the file or its folder read-only?`)
    }
    // FULL: the WAL is fsynced at every COMMIT, which is what lets a PUBACK promise durability.
    await q.exec(`PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = ${busy};`)
    // Truncate the WAL after checkpoints so a burst does not leave a big file on the SD card.
    await q.exec('PRAGMA journal_size_limit = 16777216')
    // Checkpoint every ~4 MiB of WAL whatever the page size (the default counts 1,000 pages).
    const page = (await q.get<{ page_size: number }>('PRAGMA page_size'))?.page_size ?? 4096
    await q.exec(`PRAGMA wal_autocheckpoint = ${Math.round(4_194_304 / page)}`)
    if (options.check === 'quick') {
      const rows = await q.all<{ quick_check: string }>('PRAGMA quick_check(5)')
      if (rows[0]?.quick_check !== 'ok') {
        throw corruptAtOpen(this.path, new Error(rows.map((r) => r.quick_check).join('; ')))
      }
    }
    // Find out now, not at the first PUBACK, that the card went read-only.
    try {
      await q.exec('BEGIN IMMEDIATE; ROLLBACK')
    } catch (err) {
      throw toStorageError(err, `${this.path} is not writable`)
    }
  }

  /** Runs fn holding the connection lock, outside any transaction (pragmas, backup steps). */
  exclusive<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    const run = this.#tail.then(async () => {
      if (this.#closed) throw new StorageError('other', `${this.path} is closed`)
      try {
        return await fn(this.#q)
      } catch (err) {
        throw isSqliteError(err) ? toStorageError(err, `${this.path}`) : err
      }
    })
    this.#tail = run.catch(() => {})
    return run
  }

  /**
   * BEGIN IMMEDIATE … COMMIT around fn. On any failure, including a failed COMMIT (SQLITE_FULL can
   * surface there), the transaction is rolled back so the connection is clean for the next one.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.exclusive(async (q) => {
      try {
        await q.exec('BEGIN IMMEDIATE')
        const result = await fn(q)
        await q.exec('COMMIT')
        return result
      } catch (err) {
        // SQLite may already have rolled back by itself (FULL, IOERR); then ROLLBACK errors harmlessly.
        await q.exec('ROLLBACK').catch(() => {})
        throw isSqliteError(err) ? toStorageError(err, `write to ${this.path} failed`) : err
      }
    })
  }

  run(sql: string, params?: unknown[]): Promise<RunResult> {
    return this.exclusive((q) => q.run(sql, params))
  }
  get<T>(sql: string, params?: unknown[]): Promise<T | undefined> {
    return this.exclusive((q) => q.get<T>(sql, params))
  }
  all<T>(sql: string, params?: unknown[]): Promise<T[]> {
    return this.exclusive((q) => q.all<T>(sql, params))
  }
  exec(sql: string): Promise<void> {
    return this.exclusive((q) => q.exec(sql))
  }

  /**
   * run() for a statement the hot path repeats (the batch insert): prepared once and kept. Each call
   * is then one trip through libuv's pool; run() prepares, runs and finalizes, which costs a second
   * trip, and each trip waits its turn on the busy broker thread (docs/performance.md).
   */
  runPrepared(sql: string, params: unknown[]): Promise<RunResult> {
    return this.exclusive(async () => {
      const stmt = await this.#statement(sql)
      return new Promise<RunResult>((resolve, reject) => {
        stmt.run(params, function (this: sqlite3.RunResult, err: Error | null) {
          if (err) reject(err)
          else resolve({ changes: this.changes, lastID: this.lastID })
        })
      })
    })
  }

  /** The kept statement for sql; one that fails to prepare is not kept (the next call tries again). */
  #statement(sql: string): Promise<sqlite3.Statement> {
    let stmt = this.#prepared.get(sql)
    if (stmt === undefined) {
      stmt = new Promise((resolve, reject) => {
        const s: sqlite3.Statement = this.raw.prepare(sql, (err: Error | null) => (err ? reject(err) : resolve(s)))
      })
      stmt.catch(() => this.#prepared.delete(sql))
      this.#prepared.set(sql, stmt)
    }
    return stmt
  }

  /** Waits for queued work, then closes (which checkpoints the WAL). Safe to call twice. */
  close(): Promise<void> {
    this.#closing ??= this.#tail.then(async () => {
      this.#closed = true
      // SQLite will not close a connection with statements still open.
      const statements = await Promise.allSettled(this.#prepared.values())
      for (const s of statements) if (s.status === 'fulfilled') await new Promise<void>((resolve) => s.value.finalize(() => resolve()))
      this.#prepared.clear()
      return new Promise<void>((resolve, reject) => this.raw.close((err) => (err ? reject(err) : resolve())))
    })
    return this.#closing
  }
}
