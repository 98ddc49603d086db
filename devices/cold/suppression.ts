/**
 * Door and defrost windows during which the warning timer does not START (a running excursion keeps
 * counting), and the counted run above a threshold that the excursion and time–temperature rules share.
 */
import type { ColdLimits } from './limits.ts'

const minute = 60_000

type Window = readonly [start: number, end: number]

export class DoorDefrost {
  readonly #limits: ColdLimits
  doorOpen = false
  doorOpenedAt: number | null = null
  doorClosedAt: number | null = null
  defrostActive = false
  defrostStartedAt: number | null = null
  defrostEndedAt: number | null = null

  constructor(limits: ColdLimits) {
    this.#limits = limits
  }

  /** Windows of superseded episodes, kept briefly: a reading stamped before a new opening still falls in the old grace. */
  #earlier: Window[] = []

  door(ts: number, open: boolean): void {
    if (open && !this.doorOpen) {
      this.#earlier = [...this.#earlier, ...this.#doorWindows()].slice(-4)
      this.doorOpenedAt = ts
    }
    if (!open && this.doorOpen) this.doorClosedAt = ts
    this.doorOpen = open
  }

  defrost(ts: number, active: boolean): void {
    if (active && !this.defrostActive) {
      this.#earlier = [...this.#earlier, ...this.#defrostWindows()].slice(-4)
      this.defrostStartedAt = ts
      this.defrostEndedAt = null
    }
    if (!active && this.defrostActive) this.defrostEndedAt = ts
    this.defrostActive = active
  }

  /** Minutes the door has been open at `t`, 0 when closed. */
  doorOpenMinutes(t: number): number {
    return this.doorOpen && this.doorOpenedAt !== null ? (t - this.doorOpenedAt) / minute : 0
  }

  /** True while defrost runs beyond its allowed maximum. */
  defrostOverrun(t: number): boolean {
    return this.defrostActive && this.defrostStartedAt !== null && t - this.defrostStartedAt >= this.#limits.defrostMaxMin * minute
  }

  #windows(): Window[] {
    return [...this.#earlier, ...this.#doorWindows(), ...this.#defrostWindows()]
  }

  #doorWindows(): Window[] {
    const l = this.#limits
    const out: Window[] = []
    if (this.doorOpenedAt !== null) {
      const cap = this.doorOpenedAt + l.doorOpenAlertMin * minute
      if (this.doorOpen) out.push([this.doorOpenedAt, cap])
      else if (this.doorClosedAt !== null && this.doorClosedAt >= this.doorOpenedAt) {
        out.push([this.doorOpenedAt, Math.min(this.doorClosedAt, cap)])
        out.push([this.doorClosedAt, this.doorClosedAt + l.doorGraceMin * minute])
      }
    }
    return out
  }

  #defrostWindows(): Window[] {
    const l = this.#limits
    const out: Window[] = []
    if (this.defrostStartedAt !== null) {
      const cap = this.defrostStartedAt + l.defrostMaxMin * minute
      if (this.defrostActive) out.push([this.defrostStartedAt, cap])
      else if (this.defrostEndedAt !== null) {
        out.push([this.defrostStartedAt, Math.min(this.defrostEndedAt, cap)])
        if (this.defrostEndedAt <= cap) out.push([this.defrostEndedAt, this.defrostEndedAt + l.defrostRecoveryMin * minute])
      }
    }
    return out
  }

  /** Inside a defrost window (defrost up to its maximum, then recovery) at `t`? */
  inDefrost(t: number): boolean {
    const l = this.#limits
    const s = this.defrostStartedAt
    if (s === null || t < s) return false
    const cap = s + l.defrostMaxMin * minute
    if (this.defrostActive) return t < cap
    const e = this.defrostEndedAt
    return e !== null && (t < Math.min(e, cap) || (e <= cap && t < e + l.defrostRecoveryMin * minute))
  }

  /**
   * The latest a run above the limit that began at `aboveSince` can be excused by door and defrost
   * windows: a chain of door openings in a busy hour excuses it for doorOpenAlertMin + doorGraceMin at
   * most (a normal opening recovers well within that), a defrost for its maximum plus recovery.
   */
  excuseEnd(aboveSince: number, now: number): number {
    const l = this.#limits
    let end = aboveSince + (l.doorOpenAlertMin + l.doorGraceMin) * minute
    if (this.defrostStartedAt !== null && (this.inDefrost(aboveSince) || this.inDefrost(now))) {
      end = Math.max(end, this.defrostStartedAt + (l.defrostMaxMin + l.defrostRecoveryMin) * minute)
    }
    return end
  }

  /** Is the start of the warning timer suppressed at `t`? */
  suppressed(t: number): boolean {
    return this.#windows().some(([s, e]) => t >= s && t < e)
  }

  /** End of the latest window that closed at or before `t` (−∞ when none). */
  lastWindowEnd(t: number): number {
    let end = -Infinity
    for (const [, e] of this.#windows()) if (e <= t && e > end) end = e
    return end
  }

  /** When the current suppression ends (null when not suppressed at `t`). */
  suppressedUntil(t: number): number | null {
    let until: number | null = null
    for (const [s, e] of this.#windows()) if (t >= s && t < e && (until === null || e > until)) until = e
    return until
  }
}

/**
 * A stretch of trusted readings above a threshold. It starts counting at its first reading above the
 * threshold, or when the door/defrost window that covered that start ends (but no later than the
 * excuse allows); once counting, a new door opening does not reset it. It ends when a reading falls
 * to threshold − hysteresis.
 */
export class CountedRun {
  aboveSince: number | null = null
  countingSince: number | null = null

  reading(ts: number, c: number, threshold: number, hysteresisC: number, windows: DoorDefrost): void {
    if (c > threshold) {
      this.aboveSince ??= ts
      this.tick(ts, windows)
    } else if (c <= threshold - hysteresisC) {
      this.aboveSince = null
      this.countingSince = null
    }
  }

  tick(now: number, windows: DoorDefrost): void {
    if (this.aboveSince === null || this.countingSince !== null) return
    const excuseEnd = windows.excuseEnd(this.aboveSince, now)
    if (windows.suppressed(now)) {
      if (now >= excuseEnd) this.countingSince = excuseEnd
      return
    }
    this.countingSince = Math.min(Math.max(this.aboveSince, windows.lastWindowEnd(now)), excuseEnd)
  }

  /** Minutes counted at `now` (0 when not counting). */
  minutes(now: number): number {
    return this.countingSince === null ? 0 : Math.max(0, now - this.countingSince) / minute
  }
}
