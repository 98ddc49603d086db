/**
 * The durable end of the hot path: deadband → group commit. `write` resolves when the reading is on
 * disk (or the deadband decided it adds nothing), which is when the broker sends the QoS 1 PUBACK.
 *
 * When storage fails (disk full, read-only, I/O errors) the reading is still handed to the live side
 * (`live`) so rules and alerts keep working in memory, but its PUBACK is withheld while the write is
 * retried with backoff: the device keeps the reading and nothing acknowledged is ever lost. `held`
 * says so as the retrying starts (the broker then lets the device's connection read on; see
 * broker/deferredAcks.ts). Past `maxHeld` withheld readings, new ones are refused, which closes the
 * device's connection so it retries later instead of the gateway's memory growing without bound.
 */
import type { Reading } from '../contract/readings.ts'
import type { Deadband } from '../store/deadband.ts'
import { StorageError } from '../store/errors.ts'
import type { GroupCommitter } from '../store/groupCommit.ts'

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
  }

  get held(): number {
    return this.#held
  }

  write(reading: Reading, live: () => void, done: (err?: Error) => void, held?: () => void): void {
    const { deadband, committer } = this.#opts
    const verdict = deadband.classify(reading)
    if (verdict !== 'change') {
      // Within the band: its value is already on disk, so the PUBACK need not wait for a commit.
      if (verdict === 'heartbeat') committer.enqueueLazy(reading)
      live()
      return done()
    }
    // While storage is failing, a commit attempt can take long (a failing card's I/O errors):
    // the rules get the reading at once instead of waiting for the attempt to fail.
    const liveNow = !committer.healthy
    if (liveNow) live()
    committer.submitCallback(reading, (err) => {
      if (!err) {
        if (!liveNow) live()
        return done()
      }
      deadband.forget(reading)
      if (!liveNow) live()
      if (this.#held >= this.#opts.maxHeld || this.#closed) return done(err)
      held?.()
      this.#retry(reading).then(() => done(), done)
    })
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
