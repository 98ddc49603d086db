/**
 * Moving median over the last N samples. A median (unlike a mean) ignores a spike entirely as long
 * as it is shorter than half the window, which is what HX711 boards produce on a noisy supply.
 */
export class MovingMedian {
  readonly #size: number
  readonly #ring: number[] = []
  #next = 0
  readonly #sorted: number[] = []

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`median window must be an integer ≥ 1 (got ${size})`)
    this.#size = size
  }

  push(x: number): number {
    if (this.#ring.length < this.#size) {
      this.#ring.push(x)
    } else {
      const old = this.#ring[this.#next] as number
      this.#ring[this.#next] = x
      this.#next = (this.#next + 1) % this.#size
      this.#sorted.splice(this.#sorted.indexOf(old), 1)
    }
    // Windows are tiny (3–9): insertion into a sorted array beats any clever structure.
    let i = this.#sorted.length
    while (i > 0 && (this.#sorted[i - 1] as number) > x) i--
    this.#sorted.splice(i, 0, x)
    return this.median()
  }

  median(): number {
    const n = this.#sorted.length
    if (n === 0) return NaN
    const mid = n >> 1
    return n % 2 === 1 ? (this.#sorted[mid] as number) : ((this.#sorted[mid - 1] as number) + (this.#sorted[mid] as number)) / 2
  }

  get length(): number {
    return this.#ring.length
  }

  reset(): void {
    this.#ring.length = 0
    this.#sorted.length = 0
    this.#next = 0
  }
}
