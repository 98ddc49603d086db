/**
 * Stable-weight detection: the lane is "stable" when every filtered sample of the last window lies
 * within a band. Counting only stable weights is what keeps a hand resting on the shelf, a bottle
 * still rocking, or a customer leaning on the edge from turning into picks and puts.
 */
export interface StableOptions {
  bandG: number
  windowMs: number
  /** Fewer samples than this never count as stable (one sample has no spread). */
  minSamples?: number
}

export interface StableWeight {
  /** Mean of the window: averaging the samples gains precision once we know they agree. */
  weightG: number
  spreadG: number
  since: number
}

export class StableWeightDetector {
  readonly #band: number
  readonly #window: number
  readonly #minSamples: number
  #ts: number[] = []
  #g: number[] = []

  constructor(opts: StableOptions) {
    this.#band = opts.bandG
    this.#window = opts.windowMs
    this.#minSamples = opts.minSamples ?? 3
  }

  /** Adds a filtered sample and returns the stable weight, or undefined while the lane is moving. */
  push(ts: number, g: number): StableWeight | undefined {
    this.#ts.push(ts)
    this.#g.push(g)
    let drop = 0
    while (drop < this.#ts.length && (this.#ts[drop] as number) < ts - this.#window) drop++
    if (drop > 0) {
      this.#ts.splice(0, drop)
      this.#g.splice(0, drop)
    }
    const n = this.#g.length
    // The window must really be covered (a quarter slack for sample jitter), not just hold samples.
    if (n < this.#minSamples || ts - (this.#ts[0] as number) < this.#window * 0.75) return undefined
    let min = Infinity
    let max = -Infinity
    let sum = 0
    for (const v of this.#g) {
      if (v < min) min = v
      if (v > max) max = v
      sum += v
    }
    if (max - min > this.#band) return undefined
    return { weightG: sum / n, spreadG: max - min, since: this.#ts[0] as number }
  }

  reset(): void {
    this.#ts = []
    this.#g = []
  }
}
