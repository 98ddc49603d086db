/**
 * Seeded PRNG (mulberry32): the same seed gives the same store, the same shoppers and the same noise,
 * so a failing accuracy figure can be replayed sample for sample.
 */
export class Prng {
  #s: number
  #spare: number | undefined

  constructor(seed: number) {
    this.#s = seed >>> 0
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.#s = (this.#s + 0x6d2b79f5) >>> 0
    let t = this.#s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next()
  }

  /** Integer in [lo, hi], both included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1))
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  /** Standard normal (Box–Muller, the second value kept for the next call). */
  normal(): number {
    if (this.#spare !== undefined) {
      const s = this.#spare
      this.#spare = undefined
      return s
    }
    let u = 0
    while (u === 0) u = this.next()
    const v = this.next()
    const r = Math.sqrt(-2 * Math.log(u))
    this.#spare = r * Math.sin(2 * Math.PI * v)
    return r * Math.cos(2 * Math.PI * v)
  }

  /** Exponential with the given mean. */
  exp(mean: number): number {
    return -mean * Math.log(1 - this.next())
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T
  }

  /** An independent stream, e.g. one per lane, so adding a lane does not change the others. */
  fork(salt: number): Prng {
    return new Prng(Math.imul(this.#s ^ salt, 2654435761) ^ (salt << 7))
  }
}
