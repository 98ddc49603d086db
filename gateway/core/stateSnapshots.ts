/**
 * Throttled snapshots into latest_state for restart recovery (DESIGN §3, issue 4 item 4). A service
 * marks a key as changed; the value is written at most once per `minIntervalMs` per key, and every
 * pending key is written on `flush()` (stop). The value is taken when it is written, so a burst of
 * changes costs one row write: SD cards wear with every page written.
 *
 * Pending keys are written together in one transaction (one fsync). Recovery replays the stored
 * readings since a snapshot, so snapshots can be minutes apart: the default is 5 minutes.
 *
 * Shared by the shelves, cold and locker services.
 */
import type { Clock } from './clock.ts'
import type { Logger } from './log.ts'

export interface StateWriter {
  putState(key: string, value: unknown, ts: number): Promise<void>
  /** Several keys in one transaction. */
  putStates?(entries: readonly { key: string; value: unknown; ts: number }[]): Promise<void>
}

/** Snapshots are for restart recovery, which replays the readings since: no need to wear the SD card. */
export const DEFAULT_SNAPSHOT_INTERVAL_MS = 5 * 60_000

export class StateSnapshots {
  readonly #store: StateWriter | undefined
  readonly #beforeWrite: (() => Promise<void>) | undefined
  readonly #clock: Clock
  readonly #log: Logger
  readonly #minIntervalMs: number
  readonly #pending = new Map<string, () => unknown>()
  readonly #lastWrite = new Map<string, number>()
  #timer: ReturnType<typeof setTimeout> | undefined
  #stopped = false

  /**
   * `beforeWrite` runs after the values are taken and before they are written: e.g. flushing the
   * events derived from the readings those values include, so a snapshot never gets ahead of them.
   */
  constructor(opts: { store: StateWriter | undefined; clock: Clock; log: Logger; minIntervalMs?: number; beforeWrite?: () => Promise<void> }) {
    this.#beforeWrite = opts.beforeWrite
    this.#store = opts.store
    this.#clock = opts.clock
    this.#log = opts.log
    this.#minIntervalMs = opts.minIntervalMs ?? DEFAULT_SNAPSHOT_INTERVAL_MS
  }

  /** The state behind `key` changed; `value` is called when the snapshot is written. */
  mark(key: string, value: () => unknown): void {
    if (this.#store === undefined || this.#stopped) return
    this.#pending.set(key, value)
    this.#arm()
  }

  /** Writes `key` now (for changes that must survive a crash at once, e.g. a pickup code just issued). */
  async writeNow(key: string, value: unknown): Promise<void> {
    this.#pending.delete(key)
    if (this.#store === undefined) return
    const now = this.#clock.now()
    this.#lastWrite.set(key, Date.now())
    await this.#store.putState(key, value, now)
  }

  /** Writes everything pending; called on stop. */
  async flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = undefined
    const entries = [...this.#pending]
    this.#pending.clear()
    const store = this.#store
    if (store === undefined || entries.length === 0) return
    const now = this.#clock.now()
    const nowReal = Date.now()
    // Values are taken together, now: what the beforeWrite hook flushes must cover all of them.
    const states = entries.map(([key, value]) => ({ key, value: value(), ts: now }))
    for (const [key] of entries) this.#lastWrite.set(key, nowReal)
    await this.#beforeWrite?.()
    if (store.putStates) return store.putStates(states)
    for (const e of states) await store.putState(e.key, e.value, e.ts)
  }

  async stop(): Promise<void> {
    await this.flush()
    this.#stopped = true
  }

  #arm(): void {
    if (this.#timer) return
    // Real time, not the injected clock: this paces disk writes, it decides nothing in the domain.
    let wait = 0
    const nowReal = Date.now()
    for (const key of this.#pending.keys()) {
      const due = (this.#lastWrite.get(key) ?? -Infinity) + this.#minIntervalMs - nowReal
      wait = Math.max(wait, Math.min(due, this.#minIntervalMs))
    }
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      void this.flush().catch((err: unknown) => this.#log.warn({ err }, 'could not write state snapshots; will retry at the next change'))
    }, Math.max(0, wait))
    this.#timer.unref?.()
  }

}
