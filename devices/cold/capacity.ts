/**
 * Cooling capacity: is the compressor pulling the air down as fast as it used to?
 *
 * Door openings and defrost heat only push the air up; only the compressor (helped by the cold product)
 * pulls it down. A refrigerant leak or a weak compressor slows the pull-down long before the unit stops
 * reaching its cut-out temperature (bench: 14 min instead of 2 for the same 2 °C), which the
 * lower-envelope trend cannot see.
 *
 * The measure is the time the air takes to fall through the middle of the unit's own thermostat band,
 * once per compressor cycle:
 * - **Band:** over the first `capacityLearnMin`, the readings are cut into falls (peak → trough, a turn
 *   counts beyond `reversalC`); the band runs from the median trough to the median peak. Its middle half
 *   is the measuring band, away from the thermostat's turning points.
 * - **Passage:** the air going down through the measuring band, from the last reading above it to the
 *   first below it, with both ends clipped to the learned band. The same temperatures every time means
 *   the same heat leak and the same help from the product, so a fall that follows a door opening or a
 *   defrost is measured like any other; only the compressor differs. A passage broken by a rise of more
 *   than `stallC` (a door opened), by the door being open after its first pair of readings, by defrost
 *   heat or by a gap in the readings is dropped.
 * - **Pull-down of a window:** the mean of the faster half of the passages that ended in the last
 *   `capacityWindowMin` (or of the last `minPassages`). Doors only ever slow a pull-down, so the slower
 *   half is left out. A passage spanned by two readings or fewer is not resolved and counts as at least
 *   its steepest pair; a freezer's one-minute pull-down read every minute therefore reads 1–2× slower
 *   depending on the sampling phase, and the mean over several passages evens that out where the
 *   fastest single passage (used before, issue #6) picked the luckiest phase on a healthy unit and the
 *   luckiest noise on a weak one.
 * - **Normal:** the median window pull-down over the learning readings. Each unit learns its own band and
 *   normal, so a freezer and a chilled case need no separate tuning.
 */
import type { ColdLimits } from './limits.ts'

const minute = 60_000

/**
 * A window's verdict clears only once its pull-down is back above ratio + this (no chatter at the edge).
 * The window's mean over several passages scatters less than a single passage did, and a healthy busy
 * freezer reads 0.6–0.7 × normal (bench), so a larger margin kept a repaired unit low for hours.
 */
export const capacityClearMargin = 0.1

/**
 * A turn from falling to rising (or back) counts only beyond this many °C: six times the bench probe's
 * noise (σ 0.05 °C) and three of its 0.1 °C steps, and well inside a thermostat differential (2 °C on
 * the bench; typically 1.5–4 °C in commercial cabinets), so noise never splits a cycle's fall.
 */
export const reversalC = 0.3

export interface Sample {
  t: number
  c: number
  /** A defrost heater is on (the compressor is off). */
  heat: boolean
  /** The door was open at some time since the previous reading. */
  door?: boolean
}

/**
 * While the compressor pulls, the air only falls. A reading this far above the lowest of the passage so
 * far means something else is heating the air (a door opening, which also starts the compressor), and
 * that passage says nothing about the compressor: two 0.1 °C probe steps, four σ of the bench noise.
 */
export const stallC = 0.2

/** A fall from a peak to the following trough. */
export interface Fall {
  peak: Sample
  trough: Sample
}

/**
 * The measuring band leaves out this fraction of the learned band at each end, so most cycles cross
 * both of its levels: the highest and lowest readings of a cycle usually miss the turning points by a
 * little. As wide as that allows, so a fast pull-down still spans more than one reading interval.
 */
const bandMargin = 0.25

/** The window's verdict rests on at least this many passages, going back up to three windows for them. */
export const minPassages = 3

/** Readings further apart than this many intervals do not make a pair (the sensor was silent). */
const maxGapIntervals = 2

/** Cut readings into falls: a peak, then a trough once the air has risen `reversalC` above it. Heat and gaps end a fall unfinished. */
export function cycleFalls(samples: readonly Sample[], intervalMs: number): Fall[] {
  const out: Fall[] = []
  let peak: Sample | null = null
  let trough: Sample | null = null
  let prev: Sample | null = null
  for (const s of samples) {
    const broken = s.heat || (prev !== null && s.t - prev.t > maxGapIntervals * intervalMs)
    prev = s
    if (broken) {
      peak = s.heat ? null : s
      trough = null
      continue
    }
    if (peak === null) peak = s
    else if (trough === null) {
      if (s.c >= peak.c) peak = s
      else if (s.c < peak.c - reversalC) trough = s
    } else if (s.c < trough.c) trough = s
    else if (s.c > trough.c + reversalC) {
      out.push({ peak, trough })
      peak = s
      trough = null
    }
  }
  return out
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}

/** A completed passage through the measuring band. */
interface Passage {
  /** Time of the first reading below the band. */
  end: number
  /** The passage's pull-down, °C/min. */
  cPerMin: number
}

/** A point on the air's path, clipped to the learned band [lo, hi]. */
interface Edge {
  t: number
  c: number
}

/**
 * Passages of the air down through the measuring band [lower, upper], from consecutive readings. A
 * passage runs from the last reading above the band to the first reading below it. Its ends are clipped
 * to the learned band [lo, hi] (interpolated between readings): below the peak and above the trough the
 * air has the same leak and the same help from the product on every cycle, so a pull-down that starts
 * from a door opening's or a defrost's heat counts only over the band, like any other.
 */
class BandPassages {
  readonly upper: number
  readonly lower: number
  readonly #hi: number
  readonly #lo: number
  readonly #intervalMs: number
  done: Passage[] = []
  /** The passage under way: its start, its lowest reading, and its steepest pair (°C/min). */
  open: { start: Edge; low: number; steepest: number } | null = null
  #prev: Sample | null = null

  constructor(lo: number, hi: number, intervalMs: number) {
    this.#lo = lo
    this.#hi = hi
    this.upper = lo + (1 - bandMargin) * (hi - lo)
    this.lower = lo + bandMargin * (hi - lo)
    this.#intervalMs = intervalMs
  }

  add(s: Sample): void {
    const prev = this.#prev
    this.#prev = s.heat ? null : s
    if (s.heat || prev === null || s.t <= prev.t || s.t - prev.t > maxGapIntervals * this.#intervalMs) {
      this.open = null
      return
    }
    const pairRate = (prev.c - s.c) / ((s.t - prev.t) / minute)
    if (this.open === null) {
      if (prev.c < this.upper || s.c >= this.upper) return
      this.open = { start: this.#clip(prev, s, this.#hi, prev), low: s.c, steepest: pairRate }
    } else if (s.c - this.open.low > stallC + 1e-9) {
      // The pull-down stalled (a door opened); a new passage may start from here.
      this.open = null
      return
    } else if (s.door === true) {
      // Room air came in while the compressor was pulling: the passage is slowed by the door, not the
      // compressor. A door in the passage's first pair is not held against it: the door may have closed
      // before the pull-down began, and the pull-down right after a door closes is a busy hour's fastest.
      this.open = null
      return
    }
    const open = this.open
    open.low = Math.min(open.low, s.c)
    open.steepest = Math.max(open.steepest, pairRate)
    if (s.c >= this.lower) return
    const end = this.#clip(prev, s, this.#lo, s)
    const ms = end.t - open.start.t
    let cPerMin = ms > 0 ? (open.start.c - end.c) / (ms / minute) : open.steepest
    // Spanned by two readings or fewer, the fall is not resolved: it was at least as steep as its
    // steepest pair. Longer falls are timed over their span, which noise hardly moves.
    if (ms <= 2 * this.#intervalMs) cPerMin = Math.max(cPerMin, open.steepest)
    this.done.push({ end: s.t, cPerMin })
    this.open = null
  }

  /** `keep` unless the pair a→b crosses `level` beyond it; then the crossing, interpolated. */
  #clip(a: Sample, b: Sample, level: number, keep: Sample): Edge {
    const beyond = keep === a ? a.c > level && b.c < level : b.c < level && a.c > level
    if (!beyond) return { t: keep.t, c: keep.c }
    return { t: a.t + ((a.c - level) / (a.c - b.c)) * (b.t - a.t), c: level }
  }

  /**
   * The window's pull-down, °C/min: the mean of the faster half of its passages (those that ended after
   * `from`, and at least the last `minPassages`). Doors only ever slow a pull-down, so the slower half is
   * left out; averaging the faster half evens out the sampling phase, which makes a single sub-interval
   * passage read up to twice too slow (or, on a slow unit, noise too fast). Without a passage, the one
   * under way has gone at most this fast so far. Null: nothing to judge.
   */
  pullDown(from: number, now: number): number | null {
    const rates = this.done.filter((p, i) => p.end > from || i >= this.done.length - minPassages).map((p) => p.cPerMin)
    if (rates.length > 0) {
      const faster = rates.sort((a, b) => b - a).slice(0, Math.ceil(rates.length / 2))
      return faster.reduce((a, b) => a + b, 0) / faster.length
    }
    const open = this.open
    if (open !== null && now > open.start.t) return Math.max(0, (open.start.c - open.low) / ((now - open.start.t) / minute))
    return null
  }

  prune(before: number): void {
    while (this.done.length > 0 && this.done[0]!.end < before) this.done.shift()
  }
}

export interface CapacityVerdict {
  /** The window's pull-down over the learned normal (0…). */
  ratio: number
  /** The window's pull-down through the measuring band, °C per minute. */
  fallCPerMin: number
  normalCPerMin: number
  /** Median warming between readings in the window, °C per minute (what the air does without cooling). */
  warmingCPerMin: number
}

export class CoolingCapacity {
  readonly #l: ColdLimits
  readonly #intervalMs: number
  /** Readings kept until the band and normal are learned. */
  #learning: Sample[] = []
  #band: BandPassages | null = null
  #normal: number | null = null
  /** Recent readings outside the heat (three windows), for completeness and the warming rate. */
  #recent: Sample[] = []
  #isLow = false

  constructor(limits: ColdLimits, intervalMs: number) {
    this.#l = limits
    this.#intervalMs = intervalMs
  }

  /** The unit's learned normal pull-down, °C/min (null while learning). */
  get normalCPerMin(): number | null {
    return this.#normal
  }

  /** The measuring band [lower, upper] in °C (null while learning). */
  get band(): { lower: number; upper: number } | null {
    return this.#band === null ? null : { lower: this.#band.lower, upper: this.#band.upper }
  }

  /** Is the capacity currently judged low (with the clearing margin)? */
  get low(): boolean {
    return this.#isLow
  }

  /**
   * Feed one trusted reading; `heat`: a defrost heater is on (the compressor is off); `door`: the door
   * was open at some time since the previous reading.
   */
  add(t: number, c: number, heat: boolean, door = false): void {
    const s = { t, c, heat, door }
    if (!heat) this.#recent.push(s)
    const keepFrom = t - 3 * this.#l.capacityWindowMin * minute
    while (this.#recent.length > 0 && this.#recent[0]!.t < keepFrom) this.#recent.shift()
    if (this.#band === null) {
      this.#learning.push(s)
      this.#learn(t)
      return
    }
    this.#band.add(s)
    this.#band.prune(keepFrom)
    this.#judge(t)
  }

  #learn(now: number): void {
    const l = this.#l
    const first = this.#learning[0]!.t
    if (now - first < l.capacityLearnMin * minute) return
    const samples = this.#learning
    this.#learning = []
    const falls = cycleFalls(samples, this.#intervalMs)
    if (falls.length < 3) return
    const hi = median(falls.map((f) => f.peak.c))
    const lo = median(falls.map((f) => f.trough.c))
    // A band too narrow to measure inside (coarse probe, long interval) teaches nothing; learn again.
    if (hi - lo < 4 * reversalC) return
    const band = new BandPassages(lo, hi, this.#intervalMs)
    const windowMs = l.capacityWindowMin * minute
    const perWindow: number[] = []
    let next = first + windowMs
    for (const s of samples) {
      band.add(s)
      if (s.t < next) continue
      next = s.t + windowMs
      const v = band.pullDown(s.t - windowMs, s.t)
      if (v !== null) perWindow.push(v)
    }
    if (perWindow.length === 0) return
    const normal = median(perWindow)
    if (normal < 0.1) return
    this.#band = band
    this.#normal = normal
  }

  /** Enough readings outside the heat in the window to judge it: at least half of those expected. */
  #complete(from: number): boolean {
    const expected = Math.max(2, Math.round((this.#l.capacityWindowMin * minute) / this.#intervalMs))
    return this.#recent.filter((s) => s.t > from).length >= Math.ceil(expected / 2)
  }

  #judge(now: number): void {
    const v = this.verdict(now)
    if (v === null) return
    const limit = this.#l.capacityMinRatio + (this.#isLow ? capacityClearMargin : 0)
    this.#isLow = v.ratio < limit
  }

  /** The recent window against the learned normal; null while learning or without enough readings. */
  verdict(now: number): CapacityVerdict | null {
    const band = this.#band
    if (band === null || this.#normal === null || this.#l.capacityMinRatio <= 0) return null
    const from = now - this.#l.capacityWindowMin * minute
    if (!this.#complete(from)) return null
    const inWindow = this.#recent.filter((s) => s.t > from)
    let fall = band.pullDown(from, now)
    // No passage at all: the air stayed above the band and warmed, so the cooling is lost. Air below the
    // band (a colder setpoint) or a flat line (a stuck probe, the sensor rule's business) gives no verdict.
    if (fall === null) {
      const above = inWindow.every((s) => s.c > band.lower)
      const warmed = inWindow.length >= 2 && inWindow.at(-1)!.c - inWindow[0]!.c > reversalC
      if (!above || !warmed) return null
      fall = 0
    }
    const rises: number[] = []
    for (let i = 1; i < inWindow.length; i++) {
      const a = inWindow[i - 1]!
      const b = inWindow[i]!
      if (b.c > a.c && b.t - a.t <= maxGapIntervals * this.#intervalMs) rises.push((b.c - a.c) / ((b.t - a.t) / minute))
    }
    const warming = rises.length === 0 ? 0 : median(rises)
    return { ratio: fall / this.#normal, fallCPerMin: fall, normalCPerMin: this.#normal, warmingCPerMin: warming }
  }
}
