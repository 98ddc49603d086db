/**
 * Is this temperature reading believable? Impossible (outside the sensor's range), jumping (faster
 * than any cabinet can change) and stuck (flat-lined while the compressor should be cycling) readings
 * are not trusted by the excursion logic. Pure: fed with (ts, °C).
 */
import type { ColdLimits } from './limits.ts'

export type SuspectReason = 'range' | 'jump' | 'stuck'

export interface SensorVerdict {
  trusted: boolean
  reason?: SuspectReason
}

/** Untrusted readings among the last `suspectWindow` before the sensor is flagged: one DS18B20 85 °C power-on glitch is not worth a page. */
export const suspectAfterReadings = 2
export const suspectWindow = 5
/** Trusted readings in a row before a flagged sensor is believed again. */
export const trustAgainAfterReadings = 3

const minute = 60_000

export class SensorHealth {
  readonly #limits: ColdLimits
  #lastTrusted: { ts: number; c: number } | null = null
  #runValue: number | null = null
  #runStart = 0
  #runCount = 0
  /** Verdicts of the latest readings, newest last (true = trusted). */
  #recent: boolean[] = []
  #lastBad: SuspectReason | null = null
  #suspect: SuspectReason | null = null
  untrustedReadings = 0

  constructor(limits: ColdLimits) {
    this.#limits = limits
  }

  /** The reason the sensor is currently flagged, or null when its readings are believed. */
  get suspect(): SuspectReason | null {
    return this.#suspect
  }

  check(ts: number, c: number): SensorVerdict {
    const reason = this.#classify(ts, c)
    this.#recent.push(reason === null)
    if (this.#recent.length > suspectWindow) this.#recent.shift()
    if (reason !== null) {
      this.untrustedReadings++
      this.#lastBad = reason
      // A stuck sensor is already a long run of evidence: flag it at once.
      const bad = this.#recent.filter((ok) => !ok).length
      if (reason === 'stuck' || bad >= suspectAfterReadings) this.#suspect = reason
      return { trusted: false, reason }
    }
    this.#lastTrusted = { ts, c }
    if (this.#suspect !== null && this.#recent.slice(-trustAgainAfterReadings).every((ok) => ok) && this.#recent.length >= trustAgainAfterReadings) {
      this.#suspect = null
    }
    return { trusted: true }
  }

  /** Last reason a reading was refused (for messages). */
  get lastReason(): SuspectReason | null {
    return this.#lastBad
  }

  #classify(ts: number, c: number): SuspectReason | null {
    const l = this.#limits
    if (!Number.isFinite(c) || c < l.sensorMinC || c > l.sensorMaxC) return 'range'
    if (this.#runValue !== null && Math.abs(c - this.#runValue) < 1e-9) {
      this.#runCount++
    } else {
      this.#runValue = c
      this.#runStart = ts
      this.#runCount = 1
    }
    if (this.#runCount >= l.stuckReadings && ts - this.#runStart >= l.stuckMin * minute) return 'stuck'
    const last = this.#lastTrusted
    if (last !== null) {
      // Below one minute apart the allowance stays at one minute's worth: jitter is not a jump.
      const minutes = Math.max(ts - last.ts, minute) / minute
      if (Math.abs(c - last.c) / minutes > l.jumpCPerMin) return 'jump'
    }
    return null
  }
}
