/**
 * Domain events (a pick, a put) written in batches instead of one commit each.
 *
 * An event is derived from readings that are already on disk, so it need not be durable the moment
 * it happens: after a crash, recovery replays the readings since the last snapshot and derives the
 * lost events again (their dedupe keys keep the ones that did reach the disk from being stored
 * twice). What must hold is that a snapshot never gets ahead of the events: the owner flushes this
 * batch before writing a snapshot (StateSnapshots' `beforeWrite`).
 *
 * On the reference store one event per commit cost about five WAL frames and a fsync; a batch
 * shares both (docs/performance.md).
 */
import type { Logger } from '../core/log.ts'
import type { EventInput, Storage } from './types.ts'

export interface EventBatchOptions {
  store: Pick<Storage, 'appendEvents'>
  log: Logger
  /** Longest an event waits for its batch (default 30 s). */
  maxDelayMs?: number
  /** A batch this big is written at once (default 500). */
  maxEvents?: number
  /** Events kept for a retry while storage fails; beyond this the oldest are dropped (default 10,000). */
  maxQueued?: number
}

export class EventBatch {
  readonly #store: Pick<Storage, 'appendEvents'>
  readonly #log: Logger
  readonly #maxDelayMs: number
  readonly #maxEvents: number
  readonly #maxQueued: number
  #queued: EventInput[] = []
  #timer: ReturnType<typeof setTimeout> | undefined
  #writing: Promise<void> = Promise.resolve()

  constructor(opts: EventBatchOptions) {
    this.#store = opts.store
    this.#log = opts.log
    this.#maxDelayMs = opts.maxDelayMs ?? 30_000
    this.#maxEvents = opts.maxEvents ?? 500
    this.#maxQueued = opts.maxQueued ?? 10_000
  }

  get queued(): number {
    return this.#queued.length
  }

  add(event: EventInput): void {
    this.#queued.push(event)
    if (this.#queued.length > this.#maxQueued) {
      const dropped = this.#queued.splice(0, this.#queued.length - this.#maxQueued)
      this.#log.warn({ dropped: dropped.length }, `storage is failing: dropped the ${dropped.length} oldest unsaved events (they can be derived again from the stored readings)`)
    }
    if (this.#queued.length >= this.#maxEvents) void this.flush()
    else if (this.#timer === undefined) {
      this.#timer = setTimeout(() => void this.flush(), this.#maxDelayMs)
      this.#timer.unref?.()
    }
  }

  /** Writes what is queued now; resolves when that write (and any before it) is done. Never rejects. */
  flush(): Promise<void> {
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
    const batch = this.#queued
    this.#queued = []
    this.#writing = this.#writing.then(async () => {
      if (batch.length === 0) return
      try {
        await this.#store.appendEvents(batch)
      } catch (err) {
        // Keep them, in order, for the next flush (storage failures are alerted on elsewhere).
        this.#queued = batch.concat(this.#queued)
        this.#log.warn({ err, events: batch.length }, 'could not store events; will retry with the next batch')
        if (this.#timer === undefined) {
          this.#timer = setTimeout(() => void this.flush(), this.#maxDelayMs)
          this.#timer.unref?.()
        }
      }
    })
    return this.#writing
  }
}
