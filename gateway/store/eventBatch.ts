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
 * shares both (docs/performance.md). By default a batch waits as long as the state snapshots do
 * (5 minutes), the same as the 1-minute rollups: derived data reaches the SD card every 5 minutes,
 * raw readings before their PUBACK. After a crash the lane counts come back from the snapshot and
 * the readings since; picks the crash cut off show up as one step at the next stable weight.
 */
import type { Logger } from '../core/log.ts'
import { DEFAULT_SNAPSHOT_INTERVAL_MS } from '../core/stateSnapshots.ts'
import type { EventInput, Storage } from './types.ts'

export interface EventBatchOptions {
  store: Pick<Storage, 'appendEvents'>
  log: Logger
  /** Longest an event waits for its batch (default: the snapshot interval, 5 minutes). */
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
    this.#maxDelayMs = opts.maxDelayMs ?? DEFAULT_SNAPSHOT_INTERVAL_MS
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
