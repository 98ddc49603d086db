/**
 * Cooling capacity: is the compressor pulling the air down as fast as it used to?
 *
 * Door openings and defrost heat only push the air up; only the compressor pulls it down. So the
 * steepest fall between two consecutive readings over the last `capacityWindowMin` of readings is a
 * measure of what the refrigeration can still do. A refrigerant leak or a weak compressor slows the
 * pull-down long before the unit stops reaching its cut-out temperature (bench: 14 min instead of 2 for
 * the same 2 °C), which the lower-envelope trend cannot see.
 *
 * Each unit learns its own normal: the median of the steepest fall per window over the first
 * `capacityLearnMin` of readings. After that, a window whose steepest fall is below
 * `capacityMinRatio` × that normal is a loss of capacity. Pairs of readings that touch a defrost's heat
 * are left out (the compressor is off then); the pull-down after the heat is kept, it is the compressor
 * at work.
 */
import type { ColdLimits } from './limits.ts'

const minute = 60_000

/** A window's verdict clears only once its steepest fall is back above ratio + this (no chatter at the edge). */
export const capacityClearMargin = 0.2

interface Pair {
  /** Time of the later reading. */
  t: number
  /** Fall in °C per minute (positive: the air got colder). */
  fallCPerMin: number
}

export interface CapacityVerdict {
  /** Steepest fall in the recent window over the learned normal (0…). */
  ratio: number
  fallCPerMin: number
  normalCPerMin: number
  /** Median warming between readings in the window, °C per minute (what the air does without cooling). */
  warmingCPerMin: number
}

/** The window's pull-down: its steepest fall between two readings. */
function pullDown(w: readonly Pair[]): number {
  let max = 0
  for (const p of w) if (p.fallCPerMin > max) max = p.fallCPerMin
  return max
}

export class CoolingCapacity {
  readonly #l: ColdLimits
  readonly #intervalMs: number
  #pairs: Pair[] = []
  #rises: Pair[] = []
  #prev: { t: number; c: number; heat: boolean } | null = null
  #firstAt: number | null = null
  #learned: number[] = []
  #nextSampleAt: number | null = null
  #normal: number | null = null
  #low = false

  constructor(limits: ColdLimits, intervalMs: number) {
    this.#l = limits
    this.#intervalMs = intervalMs
  }

  /** The unit's learned normal steepest fall, °C/min (null while learning). */
  get normalCPerMin(): number | null {
    return this.#normal
  }

  /** Is the capacity currently judged low (with the clearing margin)? */
  get low(): boolean {
    return this.#low
  }

  /** Feed one trusted reading; `heat`: a defrost heater is on (the compressor is off). */
  add(t: number, c: number, heat: boolean): void {
    const prev = this.#prev
    this.#prev = { t, c, heat }
    this.#firstAt ??= t
    if (prev !== null && !prev.heat && !heat && t > prev.t && t - prev.t <= 2 * this.#intervalMs) {
      const rate = (prev.c - c) / ((t - prev.t) / minute)
      ;(rate > 0 ? this.#pairs : this.#rises).push({ t, fallCPerMin: rate })
      if (rate <= 0) this.#pairs.push({ t, fallCPerMin: 0 })
    }
    const windowMs = this.#l.capacityWindowMin * minute
    const keep = this.#pairs.length - this.#expectedPairs() * 3
    if (keep > 0) this.#pairs.splice(0, keep)
    while (this.#rises.length > 0 && this.#rises[0]!.t < t - 3 * windowMs) this.#rises.shift()
    this.#learn(t)
    this.#judge(t)
  }

  #expectedPairs(): number {
    return Math.max(2, Math.round((this.#l.capacityWindowMin * minute) / this.#intervalMs))
  }

  /** The last window's worth of pairs, if they are recent (at most 3 windows back) and complete enough. */
  #window(now: number): Pair[] | null {
    const n = this.#expectedPairs()
    const recent = this.#pairs.slice(-n).filter((p) => p.t > now - 3 * this.#l.capacityWindowMin * minute)
    return recent.length >= Math.ceil(n / 2) ? recent : null
  }

  #learn(now: number): void {
    if (this.#normal !== null || this.#firstAt === null) return
    const windowMs = this.#l.capacityWindowMin * minute
    this.#nextSampleAt ??= this.#firstAt + windowMs
    if (now < this.#nextSampleAt) return
    this.#nextSampleAt = now + windowMs
    const w = this.#window(now)
    if (w !== null) this.#learned.push(pullDown(w))
    if (now - this.#firstAt < this.#l.capacityLearnMin * minute) return
    if (this.#learned.length === 0) return
    const sorted = [...this.#learned].sort((a, b) => a - b)
    const normal = sorted[Math.floor(sorted.length / 2)]!
    // A probe that never shows a clear pull-down (coarse resolution, long interval) teaches nothing.
    if (normal >= 0.1) this.#normal = normal
    else this.#learned = []
  }

  #judge(now: number): void {
    const v = this.verdict(now)
    if (v === null) return
    const limit = this.#l.capacityMinRatio + (this.#low ? capacityClearMargin : 0)
    this.#low = v.ratio < limit
  }

  /** The recent window against the learned normal; null while learning or without enough readings. */
  verdict(now: number): CapacityVerdict | null {
    if (this.#normal === null || this.#l.capacityMinRatio <= 0) return null
    const w = this.#window(now)
    if (w === null) return null
    const fall = pullDown(w)
    const from = now - this.#l.capacityWindowMin * minute
    // A flat line (stuck probe) is the sensor rule's business, not a loss of cooling.
    if (fall === 0 && !this.#rises.some((p) => p.t > from)) return null
        const rises = this.#rises.filter((p) => p.t > from).map((p) => -p.fallCPerMin).sort((a, b) => a - b)
    const warming = rises.length === 0 ? 0 : rises[Math.floor(rises.length / 2)]!
    return { ratio: fall / this.#normal, fallCPerMin: fall, normalCPerMin: this.#normal, warmingCPerMin: warming }
  }
}
