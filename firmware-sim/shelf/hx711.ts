/**
 * What an HX711 board under a 5 kg load cell reports for a true weight: 24-bit signed counts with
 * analog noise, the lowest ~8 bits unstable (practitioners report ~16 usable bits), occasional
 * spikes from a noisy supply, and a slow zero drift that follows the room's temperature.
 */
import type { Prng } from './prng.ts'

export interface Hx711Options {
  zeroCounts: number
  countsPerGram: number
  /** Analog noise, 1 σ, in grams. */
  noiseG?: number
  /** Bits at the bottom that are pure noise. */
  unstableBits?: number
  /** Chance that one sample is a spike. */
  spikeChance?: number
  /** Zero drift: daily swing amplitude (g). */
  driftG?: number
}

const DAY = 86_400_000
const MAX = 2 ** 23 - 1
const MIN = -(2 ** 23)

export class Hx711Model {
  readonly #o: Required<Hx711Options>
  readonly #rng: Prng
  readonly #phase: number
  #spikeLeft = 0
  #spikeG = 0

  constructor(rng: Prng, opts: Hx711Options) {
    this.#rng = rng
    this.#o = { noiseG: 0.4, unstableBits: 8, spikeChance: 1 / 3000, driftG: 3, ...opts }
    this.#phase = rng.uniform(0, 2 * Math.PI)
  }

  /** Zero drift at time t (g): what the empty lane's tare wanders by. */
  driftAt(t: number): number {
    return this.#o.driftG * Math.sin((2 * Math.PI * t) / DAY + this.#phase)
  }

  /** Raw counts for a true weight (g) at time t. */
  sample(t: number, trueG: number): number {
    const o = this.#o
    let g = trueG + this.driftAt(t) + o.noiseG * this.#rng.normal()
    if (this.#spikeLeft > 0) {
      this.#spikeLeft--
      g += this.#spikeG
    } else if (this.#rng.chance(o.spikeChance)) {
      // Spikes last one sample, sometimes two; either sign, up to a few kilograms.
      this.#spikeLeft = this.#rng.chance(0.2) ? 1 : 0
      this.#spikeG = (this.#rng.chance(0.5) ? 1 : -1) * this.#rng.uniform(50, 3000)
      g += this.#spikeG
    }
    const counts = Math.round(o.zeroCounts + g * o.countsPerGram)
    const mask = (1 << o.unstableBits) - 1
    const noisy = (counts & ~mask) | Math.floor(this.#rng.next() * (mask + 1))
    return Math.max(MIN, Math.min(MAX, noisy))
  }
}
