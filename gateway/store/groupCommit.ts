/**
 * Group commit for the hot path (DESIGN §3): readings queue up and are written in one transaction,
 * started once the oldest has waited maxDelayMs or maxRows are waiting, whichever comes first. A
 * reading's waiter hears `committed()` only after that batch's COMMIT returned, which is what the
 * broker waits for before the QoS 1 PUBACK.
 *
 * One transaction in flight at a time; readings arriving meanwhile form the next batch (up to
 * maxBatchRows), so a slow fsync makes batches bigger rather than the queue longer.
 *
 * Batches are cut between *runs*, never inside one. A run is what was submitted in one synchronous
 * stretch: aedes hands over all the publishes of one socket read together, so a run is one device's
 * burst. Cutting a burst in two splits its PUBACKs over two commits; the device then sends its next
 * readings in two pieces, which land in different batches again, and the split never heals. Measured
 * on the burst bench (docs/performance.md): reads of one to five publishes instead of ten, twice the
 * syscalls on both sides, a third less throughput.
 */
import type { Reading } from '../contract/readings.ts'
import type { StorageError } from './errors.ts'
import { toStorageError, StorageError as StorageErrorClass } from './errors.ts'
import type { Storage } from './types.ts'

export interface StoreHealth {
  healthy: boolean
  lastError?: StorageError
  /** Date.now() of the last failure. */
  lastErrorAt?: number
}

/**
 * Told once how a reading's batch went. An object rather than a callback: at 40k readings/s every
 * closure kept alive until the commit is garbage that survives a scavenge (docs/performance.md).
 */
export interface CommitWaiter {
  committed(): void
  failed(err: StorageError): void
}

/** Takes over the readings of a failed batch instead of failing their waiters (see DurableSink). */
export type FailureHandler = (reading: Reading, waiter: CommitWaiter, err: StorageError) => void

export interface GroupCommitterOptions {
  /** Where batches go: SqliteStore (one INSERT … FROM json_each per batch) or MemoryStore. */
  target: Pick<Storage, 'insertReadings'>
  maxDelayMs?: number
  /** A batch starts as soon as this many readings wait. */
  maxRows?: number
  /** The most readings one transaction takes (whole runs; one run larger than this goes whole). */
  maxBatchRows?: number
  /** Longest a lazy reading (see enqueueLazy) waits for a batch to ride along with. */
  lazyMaxDelayMs?: number
  onHealthChange?: (health: StoreHealth) => void
  /** After each committed batch: its rows and how long its oldest reading waited, in ms. */
  onCommitted?: (rows: number, oldestWaitMs: number) => void
}

export interface GroupCommitStats {
  batches: number
  rows: number
  failedBatches: number
  /** Readings waiting for the next batch. */
  queued: number
}

/** submit()'s promise as a waiter. */
class PromiseWaiter implements CommitWaiter {
  readonly committed: () => void
  readonly failed: (err: StorageError) => void
  constructor(resolve: () => void, reject: (err: StorageError) => void) {
    this.committed = resolve
    this.failed = reject
  }
}

export class GroupCommitter {
  readonly #target: Pick<Storage, 'insertReadings'>
  readonly #maxDelayMs: number
  readonly #maxRows: number
  readonly #maxBatchRows: number
  readonly #onHealthChange: ((health: StoreHealth) => void) | undefined
  readonly #onCommitted: ((rows: number, oldestWaitMs: number) => void) | undefined
  #onFailure: FailureHandler | undefined
  // The queue as parallel arrays rather than an object per reading: less garbage at 40k/s.
  #readings: Reading[] = []
  #waiters: CommitWaiter[] = []
  /** Where each run starts in #readings, ascending (the first is 0 while anything is queued), and when. */
  #runs: number[] = []
  #runAt: number[] = []
  #inRun = false
  readonly #endRun = (): void => {
    this.#inRun = false
    if (this.#due) this.#kick()
  }
  #lazy: Reading[] = []
  readonly #lazyMaxDelayMs: number
  #lazyTimer: ReturnType<typeof setTimeout> | undefined
  #timer: ReturnType<typeof setTimeout> | undefined
  /** The oldest queued reading has waited long enough (or the batch is full). */
  #due = false
  #inFlight: Promise<void> | undefined
  #closed = false
  #health: StoreHealth = { healthy: true }
  #stats = { batches: 0, rows: 0, failedBatches: 0 }

  constructor(options: GroupCommitterOptions) {
    this.#target = options.target
    this.#maxDelayMs = options.maxDelayMs ?? 10
    this.#maxRows = options.maxRows ?? 1000
    this.#maxBatchRows = Math.max(this.#maxRows, options.maxBatchRows ?? 10 * this.#maxRows)
    this.#lazyMaxDelayMs = options.lazyMaxDelayMs ?? 60_000
    this.#onHealthChange = options.onHealthChange
    this.#onCommitted = options.onCommitted
  }

  get health(): StoreHealth {
    return { ...this.#health }
  }

  /** health.healthy without a copy (asked once per reading on the hot path). */
  get healthy(): boolean {
    return this.#health.healthy
  }

  get stats(): GroupCommitStats {
    return { ...this.#stats, queued: this.#readings.length + this.#lazy.length }
  }

  /** Readings of failed batches go to `handler` (which retries them) instead of failing their waiters; not those of submit(). */
  handleFailures(handler: FailureHandler): void {
    this.#onFailure = handler
  }

  submit(reading: Reading): Promise<void> {
    return new Promise<void>((resolve, reject) => this.enqueue(reading, new PromiseWaiter(resolve, reject)))
  }

  /** submit() for the hot path: a waiter object instead of a promise per reading. */
  enqueue(reading: Reading, waiter: CommitWaiter): void {
    if (this.#closed) return waiter.failed(new StorageErrorClass('other', 'storage is closed'))
    if (!this.#inRun) {
      // The run ends when this synchronous stretch does; a full batch is started then, not mid-run.
      this.#inRun = true
      this.#runs.push(this.#readings.length)
      this.#runAt.push(performance.now())
      queueMicrotask(this.#endRun)
    }
    this.#readings.push(reading)
    this.#waiters.push(waiter)
    if (this.#readings.length >= this.#maxRows) {
      this.#due = true
    } else if (this.#timer === undefined && !this.#due) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined
        this.#due = true
        this.#kick()
      }, this.#maxDelayMs)
    }
  }

  /**
   * Queues a reading that need not be durable before its PUBACK (a heartbeat whose value is already
   * on disk within the deadband): it rides along with the next batch, or is written within
   * lazyMaxDelayMs. Saves an fsync and a few pages of SD-card writes per reading. Lost if the
   * process dies first, or dropped if its batch fails.
   */
  enqueueLazy(reading: Reading): void {
    if (this.#closed) return
    this.#lazy.push(reading)
    if (this.#lazyTimer === undefined) {
      this.#lazyTimer = setTimeout(() => {
        this.#lazyTimer = undefined
        this.#due = true
        this.#kick()
      }, this.#lazyMaxDelayMs)
    }
  }

  /** Commits everything queued now; resolves when it has been tried (the waiters tell how it went). */
  async flush(): Promise<void> {
    while (this.#readings.length > 0 || this.#lazy.length > 0 || this.#inFlight) {
      this.#due = true
      this.#kick()
      await this.#inFlight
    }
  }

  /** Flushes what is queued, then refuses new readings. Does not close the database. */
  async close(): Promise<void> {
    this.#closed = true
    await this.flush()
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    if (this.#lazyTimer !== undefined) clearTimeout(this.#lazyTimer)
    this.#timer = undefined
    this.#lazyTimer = undefined
  }

  #kick(): void {
    if (this.#inFlight || !this.#due || (this.#readings.length === 0 && this.#lazy.length === 0)) return
    const oldestAt = this.#runAt[0] ?? performance.now()
    const cut = this.#cut()
    let readings: Reading[]
    let waiters: CommitWaiter[]
    if (cut === this.#readings.length) {
      readings = this.#readings
      waiters = this.#waiters
      this.#readings = []
      this.#waiters = []
      this.#runs = []
      this.#runAt = []
    } else {
      readings = this.#readings.splice(0, cut)
      waiters = this.#waiters.splice(0, cut)
      let first = 0
      while (first < this.#runs.length && (this.#runs[first] as number) < cut) first++
      this.#runs = this.#runs.slice(first).map((start) => start - cut)
      this.#runAt = this.#runAt.slice(first)
    }
    // A run still open (a flush from inside one) goes on at the head of the queue.
    if (this.#inRun && this.#runs[0] !== 0) {
      this.#runs.unshift(0)
      this.#runAt.unshift(performance.now())
    }
    // Lazy readings ride at the end of the batch; they have no waiter.
    if (this.#lazy.length > 0 && readings.length < this.#maxBatchRows) {
      for (const r of this.#lazy.splice(0, this.#maxBatchRows - readings.length)) readings.push(r)
      if (this.#lazy.length === 0 && this.#lazyTimer !== undefined) {
        clearTimeout(this.#lazyTimer)
        this.#lazyTimer = undefined
      }
    }
    // What is left over beyond the batch has waited at least as long: due as well.
    this.#due = this.#readings.length > 0
    if (!this.#due && this.#timer !== undefined) {
      clearTimeout(this.#timer)
      this.#timer = undefined
    }
    this.#inFlight = this.#target.insertReadings(readings).then(
      () => this.#settle(readings, waiters, undefined, oldestAt),
      (err: unknown) => this.#settle(readings, waiters, toStorageError(err, `storing ${readings.length} readings failed`), oldestAt),
    )
  }

  /** How many queued readings the next batch takes: whole runs, up to maxBatchRows unless one run is larger. */
  #cut(): number {
    const queued = this.#readings.length
    if (queued <= this.#maxBatchRows) return queued
    let cut = 0
    for (const start of this.#runs) {
      if (start > this.#maxBatchRows) break
      cut = start
    }
    // The first run alone is over the limit: it goes whole, up to where the second one starts.
    if (cut === 0) cut = this.#runs[1] ?? queued
    return cut
  }

  /**
   * The next batch is sent before this one's waiters hear: the PUBACKs they write take the broker's
   * thread a while, and meanwhile the writer can already be committing what queued up.
   */
  #settle(readings: Reading[], waiters: CommitWaiter[], error: StorageError | undefined, oldestAt: number): void {
    if (error) {
      this.#stats.failedBatches++
      this.#setHealth({ healthy: false, lastError: error, lastErrorAt: Date.now() })
    } else {
      this.#stats.batches++
      this.#stats.rows += readings.length
      if (!this.#health.healthy) this.#setHealth({ ...this.#health, healthy: true })
    }
    this.#inFlight = undefined
    this.#kick()
    if (!error) {
      this.#onCommitted?.(readings.length, performance.now() - oldestAt)
      for (let i = 0; i < waiters.length; i++) (waiters[i] as CommitWaiter).committed()
      return
    }
    // submit()'s callers (the failure handler's own retries among them) handle their failures.
    const onFailure = this.#onFailure
    for (let i = 0; i < waiters.length; i++) {
      const waiter = waiters[i] as CommitWaiter
      if (onFailure && !(waiter instanceof PromiseWaiter)) onFailure(readings[i] as Reading, waiter, error)
      else waiter.failed(error)
    }
  }

  #setHealth(next: StoreHealth): void {
    const changed = next.healthy !== this.#health.healthy || next.lastError?.code !== this.#health.lastError?.code
    this.#health = next
    if (!changed || !this.#onHealthChange) return
    try {
      this.#onHealthChange({ ...next })
    } catch {
      // A throwing listener must never break the hot path.
    }
  }
}
