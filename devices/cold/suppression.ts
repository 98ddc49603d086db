/**
 * Door and defrost windows: a run above the limit that began in one is excused (no warning, no
 * time–temperature count) until they end, within limits. The run itself is in countedRun.ts.
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
    const s = this.defrostStartedAt
    if (s !== null && (this.inDefrost(aboveSince) || this.inDefrost(now))) {
      // Heat up to the maximum (or until it ended), then the recovery after it.
      const heatEnd = Math.min(this.defrostActive ? Infinity : (this.defrostEndedAt ?? s), s + l.defrostMaxMin * minute)
      end = Math.max(end, heatEnd + l.defrostRecoveryMin * minute)
    }
    return end
  }

  /**
   * Where the time of a run counted from `from` starts: at `from`, or when the defrost heat that
   * overlaps [from, now] ended (at most defrostMaxMin after it began). Null while that heat is on.
   */
  defrostHeatEnd(from: number, now: number): number | null {
    const s = this.defrostStartedAt
    if (s === null || s > now) return from
    const cap = s + this.#limits.defrostMaxMin * minute
    const end = this.defrostActive ? cap : Math.min(this.defrostEndedAt ?? s, cap)
    if (from >= end) return from
    return now >= end ? end : null
  }

  /** End of the defrost recovery that `t` falls in (null when none). */
  recoveryEnd(t: number): number | null {
    const s = this.defrostStartedAt
    if (s === null || this.defrostActive || this.defrostEndedAt === null) return null
    const heatEnd = this.defrostEndedAt
    if (heatEnd > s + this.#limits.defrostMaxMin * minute) return null
    const end = heatEnd + this.#limits.defrostRecoveryMin * minute
    return t >= heatEnd && t < end ? end : null
  }

  /** The latest door opening or defrost start in (from, to], or −∞. */
  lastStartIn(from: number, to: number): number {
    let last = -Infinity
    for (const t of [this.doorOpenedAt, this.defrostStartedAt]) if (t !== null && t > from && t <= to && t > last) last = t
    return last
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

export { CountedRun, recoveryReadings } from './countedRun.ts'
