/**
 * The counted run above a threshold that the excursion and time–temperature rules share: when it
 * crossed, where its time starts, when door/defrost windows stop excusing it, and when it ends.
 */
import type { DoorDefrost } from './suppression.ts'

const minute = 60_000

interface Sample {
  ts: number
  c: number
}

/** Readings at or below the clearing threshold in a row that end a run (one noisy reading is not a recovery). */
export const recoveryReadings = 2

/**
 * The crossing is fitted through at most this many readings of the approach. On a slow rise a probe's
 * 0.1 °C steps and noise leave a reading at the limit ambiguous for a minute or more (bench: air at
 * 5.03 and 5.11 °C both read 5.0); a line through five readings averages that out, while a longer
 * stretch would follow the air's own curve (or a unit idling just under its limit) too far back.
 */
export const crossingFitReadings = 5

/**
 * When the air crossed `threshold`, from the readings of its approach, oldest first: the last reading
 * at or below threshold − hysteresis (further under than noise reaches) and those after it, up to
 * `crossingFitReadings`, the last being the first above the threshold. The least-squares line through
 * them meets the threshold at the estimate, kept between the first of them and the last. A rise too
 * quick for the noise to matter leaves two or three readings, and the line is their chord; without a
 * rising line the chord between the last two is used.
 */
export function crossingTime(approach: readonly Sample[], threshold: number): number {
  const last = approach.at(-1)!
  const prev = approach.at(-2)
  if (prev === undefined) return last.ts
  const chord = prev.c < last.c ? prev.ts + ((threshold - prev.c) / (last.c - prev.c)) * (last.ts - prev.ts) : last.ts
  const n = approach.length
  const mt = approach.reduce((a, p) => a + p.ts, 0) / n
  const mc = approach.reduce((a, p) => a + p.c, 0) / n
  let sxx = 0
  let sxy = 0
  for (const p of approach) {
    sxx += (p.ts - mt) ** 2
    sxy += (p.ts - mt) * (p.c - mc)
  }
  const slope = sxx > 0 ? sxy / sxx : 0
  const fitted = slope > 0 ? mt + (threshold - mc) / slope : chord
  return Math.min(last.ts, Math.max(approach[0]!.ts, Number.isFinite(fitted) ? fitted : chord))
}

/**
 * A stretch of trusted readings above a threshold.
 *
 * - `aboveSince`: when the value crossed the threshold, estimated from the readings of the approach
 *   (see `crossingTime`): a reading is a sample of a continuous temperature, and the crossing happened
 *   before the first reading above the threshold, often before the last one that still read at it.
 * - `startedAt`: where its time starts. That is the crossing, or, when a defrost's heat covered the
 *   crossing, the end of that heat (at most defrostMaxMin). Door openings neither pause nor restart it.
 * - `countingSince`: when the door and defrost windows that covered the crossing stopped excusing it
 *   (no later than the excuse allows). Until then no warning is raised and the time–temperature
 *   clock does not count; once set, a new door opening does not reset it.
 *
 * It ends on a recovery: `recoveryReadings` readings in a row at or below threshold − hysteresis, or
 * one at or below threshold − 2 × hysteresis (clearly back, not noise at the edge). `endedAt` is the
 * first reading of that recovery.
 */
export class CountedRun {
  aboveSince: number | null = null
  startedAt: number | null = null
  countingSince: number | null = null
  endedAt: number | null = null
  /** Set by the owner once its warning is raised: a later defrost no longer restarts `startedAt`. */
  keepStart = false
  /** Set by the owner while the unit's pull-down is slower than its learned normal: no defrost-recovery grace. */
  weakCooling = false
  #recovering: number | null = null
  #recoveringReadings = 0
  #prev: Sample | null = null
  /** While not above: the approach readings `crossingTime` uses (see there). */
  #approach: Sample[] = []
  /** The start before any deferral for a defrost recovery. */
  #base: number | null = null
  /** The defrost recovery the start fell in: its latest and coldest readings, steepest fall (°C/ms), and the verdict at its end. */
  #pulldown: { end: number; last: Sample | null; coldest: Sample | null; steepest: number; onTrack: boolean | null } | null = null

  /** Feed one trusted reading; `maxGapMs` bounds the interpolation of the crossing. Returns true when the run just ended. */
  reading(ts: number, c: number, threshold: number, hysteresisC: number, windows: DoorDefrost, maxGapMs = Infinity): boolean {
    const prev = this.#prev
    this.#prev = { ts, c }
    if (prev !== null && ts - prev.ts > maxGapMs) this.#approach = []
    if (this.aboveSince === null) {
      if (c <= threshold - hysteresisC) this.#approach = []
      this.#approach.push({ ts, c })
      if (this.#approach.length > crossingFitReadings) this.#approach.shift()
    }
    // A door opened since the recovery began explains a new rise: the recovery stays pending.
    const doorSinceRecovery = this.#recovering !== null && windows.lastStartIn(this.#recovering, ts) === windows.doorOpenedAt
    if (c > threshold - hysteresisC && !doorSinceRecovery) {
      this.#recovering = null
      this.#recoveringReadings = 0
    }
    const p = this.#pulldown
    if (p !== null && ts < p.end) {
      if (p.last !== null && ts > p.last.ts) {
        p.steepest = Math.max(p.steepest, (p.last.c - c) / (ts - p.last.ts))
      }
      p.last = { ts, c }
      if (p.coldest === null || c < p.coldest.c) p.coldest = { ts, c }
    }
    if (c > threshold) {
      if (this.aboveSince === null) {
        const crossed = crossingTime(this.#approach, threshold)
        this.#approach = []
        // A door opening or defrost that began between the last two readings caused the rise: not before it.
        this.aboveSince = Math.max(crossed, windows.lastStartIn(prev?.ts ?? ts, ts))
        this.endedAt = null
      }
      this.tick(ts, windows, threshold)
      return false
    }
    if (this.aboveSince === null || c > threshold - hysteresisC) return false
    this.#recovering ??= ts
    this.#recoveringReadings++
    if (this.#recoveringReadings < recoveryReadings && c > threshold - 2 * hysteresisC) return false
    this.endedAt = this.#recovering
    this.#approach = [{ ts, c }]
    this.aboveSince = null
    this.startedAt = null
    this.countingSince = null
    this.keepStart = false
    this.#base = null
    this.#pulldown = null
    this.#recovering = null
    this.#recoveringReadings = 0
    return true
  }

  tick(now: number, windows: DoorDefrost, threshold = Infinity): void {
    if (this.aboveSince === null) return
    // A defrost during the delay restarts the time at its end; once the warning is up, the start stays.
    if (this.startedAt === null || !this.keepStart) {
      this.#base = windows.defrostHeatEnd(this.#base ?? this.aboveSince, now)
      this.startedAt = this.#base === null ? null : this.#afterPulldown(this.#base, now, windows, threshold)
    }
    if (this.countingSince !== null) return
    const excuseEnd = windows.excuseEnd(this.aboveSince, now)
    if (windows.suppressed(now)) {
      if (now >= excuseEnd) this.countingSince = excuseEnd
      return
    }
    this.countingSince = Math.min(Math.max(this.aboveSince, windows.lastWindowEnd(now)), excuseEnd)
  }

  /**
   * A start inside a defrost recovery moves to the end of the recovery, but only when the unit pulled
   * the air down in time: its coldest reading in the recovery is at or under the threshold, or would
   * have been by the end of the recovery (give or take one reading) at its steepest pull-down between
   * two readings (a door opening in a busy hour can keep a healthy unit just above). A dead or weak
   * compressor after a defrost gets no extra time: the warning comes warningMin after the defrost ended.
   */
  #afterPulldown(base: number, now: number, windows: DoorDefrost, threshold: number): number {
    const end = windows.recoveryEnd(base)
    if (end === null) {
      this.#pulldown = null
      return base
    }
    if (this.#pulldown?.end !== end) this.#pulldown = { end, last: null, coldest: null, steepest: 0, onTrack: null }
    const p = this.#pulldown
    if (now < end) return base
    if (p.onTrack === null) {
      const { coldest, steepest } = p
      p.onTrack = !this.weakCooling && coldest !== null && p.last !== null && (coldest.c <= threshold || (steepest > 0 && p.last.ts + (p.last.c - threshold) / steepest <= end))
    }
    return p.onTrack ? end : base
  }

  /** Minutes counted at `now` for the time–temperature rules (0 while excused). */
  minutes(now: number): number {
    return this.countingSince === null ? 0 : Math.max(0, now - this.countingSince) / minute
  }

  /** Minutes above the threshold at `now` for the excursion rules (0 during a defrost's heat that covered the crossing). */
  minutesAbove(now: number): number {
    return this.startedAt === null ? 0 : Math.max(0, now - this.startedAt) / minute
  }
}
