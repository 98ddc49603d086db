import { gaussian, seededRandom } from '../random.ts'

/** Seeded, deterministic randomness for the simulators: the same seed plays the same month. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number
  /** Standard normal (Box–Muller). */
  gauss(): number
  /** Uniform in [a, b). */
  between(a: number, b: number): number
}

/** The simulators' shared mulberry32 generator with the fridge model's helpers. */
export function seededRng(seed: number): Rng {
  const next = seededRandom(seed)
  return {
    next,
    gauss: () => gaussian(next),
    between: (a, b) => a + (b - a) * next(),
  }
}
