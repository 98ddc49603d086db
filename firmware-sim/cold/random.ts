/** Seeded, deterministic randomness for the simulators: the same seed plays the same month. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number
  /** Standard normal (Box–Muller). */
  gauss(): number
  /** Uniform in [a, b). */
  between(a: number, b: number): number
}

/** mulberry32: small, fast, good enough for simulation (not for secrets). */
export function seededRng(seed: number): Rng {
  let s = seed >>> 0
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    gauss: () => {
      const u = Math.max(next(), 1e-12)
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next())
    },
    between: (a, b) => a + (b - a) * next(),
  }
}
