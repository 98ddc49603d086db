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
  // The window's samples are [#head, #ts.length); dropped ones are cut off now and then, not per sample.
  #ts: number[] = []
  #g: number[] = []
  #head = 0
  #sum = 0
  // Indices of the window's running max (values falling) and min (values rising): a sample that
  // can no longer be the extreme of any later window is dropped, so each push is O(1) amortized.
  // An 80 Hz board has ~120 samples in a 1.5 s window, a burst of readings many more.
  #maxIdx: number[] = []
  #maxHead = 0
  #minIdx: number[] = []
  #minHead = 0

  constructor(opts: StableOptions) {
    this.#band = opts.bandG
    this.#window = opts.windowMs
    this.#minSamples = opts.minSamples ?? 3
  }

  /** Adds a filtered sample and returns the stable weight, or undefined while the lane is moving. */
  push(ts: number, g: number): StableWeight | undefined {
    const i = this.#ts.length
    this.#ts.push(ts)
    this.#g.push(g)
    this.#sum += g
    while (this.#maxIdx.length > this.#maxHead && (this.#g[this.#maxIdx[this.#maxIdx.length - 1] as number] as number) <= g) this.#maxIdx.pop()
    this.#maxIdx.push(i)
    while (this.#minIdx.length > this.#minHead && (this.#g[this.#minIdx[this.#minIdx.length - 1] as number] as number) >= g) this.#minIdx.pop()
    this.#minIdx.push(i)
    while (this.#head < i && (this.#ts[this.#head] as number) < ts - this.#window) this.#sum -= this.#g[this.#head++] as number
    while ((this.#maxIdx[this.#maxHead] as number) < this.#head) this.#maxHead++
    while ((this.#minIdx[this.#minHead] as number) < this.#head) this.#minHead++
    if (this.#head > 64 && this.#head * 2 > this.#ts.length) this.#compact()
    const n = this.#ts.length - this.#head
    const first = this.#ts[this.#head] as number
    // The window must really be covered (a quarter slack for sample jitter), not just hold samples.
    if (n < this.#minSamples || ts - first < this.#window * 0.75) return undefined
    const max = this.#g[this.#maxIdx[this.#maxHead] as number] as number
    const min = this.#g[this.#minIdx[this.#minHead] as number] as number
    if (max - min > this.#band) return undefined
    return { weightG: this.#sum / n, spreadG: max - min, since: first }
  }

  reset(): void {
    this.#ts = []
    this.#g = []
    this.#head = 0
    this.#sum = 0
    this.#maxIdx = []
    this.#maxHead = 0
    this.#minIdx = []
    this.#minHead = 0
  }

  /** Drops the samples that left the window and renumbers the extremes' indices; recomputes the sum (no drift). */
  #compact(): void {
    const h = this.#head
    this.#ts = this.#ts.slice(h)
    this.#g = this.#g.slice(h)
    this.#maxIdx = this.#maxIdx.slice(this.#maxHead).map((j) => j - h)
    this.#minIdx = this.#minIdx.slice(this.#minHead).map((j) => j - h)
    this.#head = 0
    this.#maxHead = 0
    this.#minHead = 0
    this.#sum = 0
    for (const v of this.#g) this.#sum += v
  }
}
