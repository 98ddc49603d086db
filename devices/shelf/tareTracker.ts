/**
 * Empty-lane tare that follows slow drift (load-cell creep, temperature of the strain gauge).
 * It only moves while the lane is stably empty: with items on it we could not tell drift from a
 * product that weighs a little more than its label, and we would slowly "learn" the product away.
 */
export interface TareOptions {
  /** Time constant of the tracking (ms): drift is hours-slow, a forgotten receipt should not vanish at once. */
  tauMs?: number
}

export class TareTracker {
  readonly configuredG: number
  #tareG: number
  #lastAt: number | undefined
  readonly #tau: number

  constructor(tareG: number, opts: TareOptions = {}) {
    this.configuredG = tareG
    this.#tareG = tareG
    this.#tau = opts.tauMs ?? 5 * 60_000
  }

  get tareG(): number {
    return this.#tareG
  }

  /** Drift accumulated since the configured tare, in grams. */
  get driftG(): number {
    return this.#tareG - this.configuredG
  }

  /** Feed a stable empty-lane weight. Gaps are capped so one sample after a long silence moves it little. */
  observeEmpty(at: number, weightG: number): void {
    const dt = this.#lastAt === undefined ? 0 : Math.min(at - this.#lastAt, 10_000)
    this.#lastAt = at
    if (dt <= 0) return
    const k = 1 - Math.exp(-dt / this.#tau)
    this.#tareG += (weightG - this.#tareG) * k
  }

  /** The lane stopped being empty: the next empty spell starts a fresh time base. */
  pause(): void {
    this.#lastAt = undefined
  }
}
