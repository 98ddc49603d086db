/**
 * The durable end of the hot path: deadband → group commit. A reading's waiter hears `committed()`
 * when the reading is on disk (or the deadband decided it adds nothing), which is when the broker
 * sends the QoS 1 PUBACK. The rules have seen the reading already (broker/hooks.ts): they never wait
 * for the disk.
 *
 * When storage fails (disk full, read-only, I/O errors) the PUBACK is withheld while the write is
 * retried with backoff: the device keeps the reading and nothing acknowledged is ever lost. The
 * waiter's `held()` says so as the retrying starts (the broker then lets the device's connection
 * read on; see broker/deferredAcks.ts). Past `maxHeld` withheld readings, new ones fail, which
 * closes the device's connection so it retries later instead of the gateway's memory growing
 * without bound.
 */
import type { Reading } from '../contract/readings.ts'
import type { Deadband } from '../store/deadband.ts'
import { StorageError } from '../store/errors.ts'
import type { CommitWaiter, GroupCommitter } from '../store/groupCommit.ts'

export interface PersistWaiter extends CommitWaiter {
  /** Storage is failing and the sink keeps retrying this reading; comes once, before the outcome. */
  held?(): void
}

export interface DurableSinkOptions {
  committer: GroupCommitter
  deadband: Deadband
  /** Most readings held unacknowledged while storage is failing. */
  maxHeld?: number
  retryMinMs?: number
  retryMaxMs?: number
  onHeldChange?: (held: number) => void
}

export class DurableSink {
  readonly #opts: Required<Omit<DurableSinkOptions, 'onHeldChange'>> & Pick<DurableSinkOptions, 'onHeldChange'>
  #held = 0
  #closed = false

  constructor(opts: DurableSinkOptions) {
    this.#opts = { maxHeld: 50_000, retryMinMs: 500, retryMaxMs: 10_000, ...opts }
    opts.committer.handleFailures((reading, waiter, err) => this.#failed(reading, waiter, err))
  }

  get held(): number {
    return this.#held
  }

  persist(reading: Reading, waiter: PersistWaiter): void {
    const verdict = this.#opts.deadband.classify(reading)
    if (verdict === 'change') return this.#opts.committer.enqueue(reading, waiter)
    // Within the band: its value is already on disk, so the PUBACK need not wait for a commit.
    if (verdict === 'heartbeat') this.#opts.committer.enqueueLazy(reading)
    waiter.committed()
  }

  #failed(reading: Reading, waiter: PersistWaiter, err: StorageError): void {
    // Its value is not on disk: the next reading of the channel must not be judged against it.
    this.#opts.deadband.forget(reading)
    if (this.#held >= this.#opts.maxHeld || this.#closed) return waiter.failed(err)
    waiter.held?.()
    this.#retry(reading).then(
      () => waiter.committed(),
      (e: unknown) => waiter.failed(e instanceof StorageError ? e : new StorageError('other', String(e))),
    )
  }

  async #retry(reading: Reading): Promise<void> {
    this.#setHeld(this.#held + 1)
    try {
      let delay = this.#opts.retryMinMs
      for (;;) {
        await new Promise((r) => setTimeout(r, delay))
        if (this.#closed) throw new StorageError('other', 'gateway is stopping; reading not stored')
        try {
          await this.#opts.committer.submit(reading)
          return
        } catch {
          delay = Math.min(delay * 2, this.#opts.retryMaxMs)
        }
      }
    } finally {
      this.#setHeld(this.#held - 1)
    }
  }

  #setHeld(n: number): void {
    this.#held = n
    this.#opts.onHeldChange?.(n)
  }

  /** Stops retrying held readings (their devices get no PUBACK and will resend after reconnecting). */
  close(): void {
    this.#closed = true
  }
}
