/**
 * The cold-chain state machine of one unit. Pure: readings (temperature, door, defrost) and `tick(now)`
 * go in, ConditionChange objects come out, and closed excursions are collected for the HACCP log.
 * No timers inside: the host calls `tick` at `nextDueAt()` (or on any cadence) with its clock's time.
 */
import type { ConditionChange } from '../../gateway/contract/conditions.ts'
import type { ColdDefrostReading, ColdDoorReading, ColdTempReading } from '../../gateway/contract/readings.ts'
import type { ExcursionRecord } from '../../gateway/haccp/records.ts'
import { CoolingCapacity } from './capacity.ts'
import { ConditionSet, coldRules, round1 } from './coldConditions.ts'
import { Exposure } from './exposure.ts'
import type { ResolvedColdUnit } from './limits.ts'
import { SensorHealth } from './sensorHealth.ts'
import { CountedRun, DoorDefrost } from './suppression.ts'
import { projectTrend, type Point } from './trend.ts'

const minute = 60_000

export type ColdReading = ColdTempReading | ColdDoorReading | ColdDefrostReading

export interface ColdUnitStatus {
  unit: string
  lastC: number | null
  lastReadingAt: number | null
  doorOpen: boolean
  defrostActive: boolean
  sensorSuspect: string | null
  excursion: ExcursionRecord | null
  /** Since when the warning timer has been counting: the limit crossing (null: not above the limit, or in the defrost heat that covered the crossing). */
  countingSince: number | null
  minutesAboveLimit: number
  degreeMinutesAboveLimit: number
  ttaMinutes: number
  untrustedReadings: number
  ignoredReadings: number
}

export class ColdUnitMonitor {
  readonly unit: ResolvedColdUnit
  readonly #l: ResolvedColdUnit['limits']
  readonly #conditions: ConditionSet
  readonly #health: SensorHealth
  readonly #windows: DoorDefrost
  readonly #excursionRun = new CountedRun()
  readonly #ttaRun = new CountedRun()
  readonly #exposure = new Exposure()
  readonly #capacity: CoolingCapacity
  #history: Array<Point & { quiet: boolean }> = []
  #lastTrusted: { ts: number; c: number } | null = null
  #lastReadingAt: number
  #lastTempTs = -Infinity
  #everHeard = false
  #hardHit = false
  #excursion: ExcursionRecord | null = null
  #ackAt: number | null = null
  #records: ExcursionRecord[] = []
  #ignored = 0

  /** `startAt`: when monitoring began, so a sensor that never reports goes offline too. */
  constructor(unit: ResolvedColdUnit, startAt: number) {
    this.unit = unit
    this.#l = unit.limits
    this.#conditions = new ConditionSet(unit.id, unit.area, { unit: unit.id, name: unit.name, limitC: unit.limits.maxC })
    this.#health = new SensorHealth(unit.limits)
    this.#windows = new DoorDefrost(unit.limits)
    this.#capacity = new CoolingCapacity(unit.limits, unit.readingIntervalMs)
    this.#lastReadingAt = startAt
  }

  reading(r: ColdReading): ConditionChange[] {
    const out: ConditionChange[] = []
    if (r.unit !== this.unit.id) return out
    if (r.kind === 'cold.door') this.#windows.door(r.ts, r.open)
    else if (r.kind === 'cold.defrost') this.#windows.defrost(r.ts, r.active)
    else if (r.probe !== this.unit.probe || r.ts < this.#lastTempTs) this.#ignored++
    else this.#temperature(out, r.ts, r.c)
    this.#evaluate(out, r.ts)
    return out
  }

  tick(now: number): ConditionChange[] {
    const out: ConditionChange[] = []
    this.#evaluate(out, now)
    return out
  }

  /** A person acknowledged the unit's open alarm: the re-alarm clock restarts. */
  acknowledge(at: number, by: string): ConditionChange[] {
    const out: ConditionChange[] = []
    if (this.#excursion !== null) {
      this.#excursion.acknowledgedBy = by
      this.#excursion.acknowledgedAt = at
      this.#ackAt = at
    }
    this.#conditions.set(out, coldRules.realarm, false, at)
    return out
  }

  /** Corrective action written for the open excursion (later ones are attached by the HACCP store). */
  correctiveAction(text: string): boolean {
    if (this.#excursion === null) return false
    this.#excursion.correctiveAction = text
    return true
  }

  /** The stock was replaced or discarded: the time–temperature rules start from zero. */
  resetExposure(at: number): ConditionChange[] {
    const out: ConditionChange[] = []
    this.#exposure.resetTta(at)
    if (this.#ttaRun.countingSince !== null) this.#ttaRun.countingSince = at
    this.#evaluate(out, at)
    return out
  }

  /** Closed excursions since the last call, for the HACCP log. */
  takeRecords(): ExcursionRecord[] {
    const r = this.#records
    this.#records = []
    return r
  }

  status(now: number): ColdUnitStatus {
    return {
      unit: this.unit.id,
      lastC: this.#lastTrusted?.c ?? null,
      lastReadingAt: this.#everHeard ? this.#lastReadingAt : null,
      doorOpen: this.#windows.doorOpen,
      defrostActive: this.#windows.defrostActive,
      sensorSuspect: this.#health.suspect,
      excursion: this.#excursion === null ? null : { ...this.#excursion },
      countingSince: this.#excursionRun.startedAt,
      minutesAboveLimit: this.#exposure.minutesAboveLimit,
      degreeMinutesAboveLimit: this.#exposure.degreeMinutesAboveLimit,
      ttaMinutes: this.#ttaMinutesAt(now),
      untrustedReadings: this.#health.untrustedReadings,
      ignoredReadings: this.#ignored,
    }
  }

  /** The next time a time-based transition may happen, so the host can arm exactly one timer. */
  nextDueAt(now: number): number | null {
    const l = this.#l
    const due: number[] = [this.#lastReadingAt + l.offlineIntervals * this.unit.readingIntervalMs + 1]
    const counting = this.#excursionRun.countingSince
    const started = this.#excursionRun.startedAt
    if (started !== null) due.push(started + l.warningMin * minute, started + l.alarmMin * minute)
    if (this.#ackAt !== null) due.push(this.#ackAt + l.reAlarmMin * minute)
    if (this.#ttaRun.countingSince !== null) {
      due.push(this.#ttaRun.countingSince + l.ttaMoveMin * minute)
      due.push(now + Math.max(0, l.ttaDiscardMin - this.#ttaMinutesAt(now)) * minute)
    }
    const until = this.#windows.suppressedUntil(now)
    if (until !== null) due.push(until)
    const above = this.#excursionRun.aboveSince
    if (above !== null && counting === null) due.push(this.#windows.excuseEnd(above, now))
    if (this.#windows.doorOpenedAt !== null && this.#windows.doorOpen) due.push(this.#windows.doorOpenedAt + l.doorOpenAlertMin * minute)
    if (this.#windows.defrostStartedAt !== null && this.#windows.defrostActive) due.push(this.#windows.defrostStartedAt + l.defrostMaxMin * minute)
    const future = due.filter((t) => t > now)
    return future.length === 0 ? null : Math.min(...future)
  }

  #temperature(out: ConditionChange[], ts: number, c: number): void {
    this.#lastTempTs = ts
    this.#lastReadingAt = ts
    this.#everHeard = true
    const verdict = this.#health.check(ts, c)
    if (!verdict.trusted) return
    const l = this.#l
    const prev = this.#lastTrusted
    const maxHold = l.offlineIntervals * this.unit.readingIntervalMs
    if (prev !== null) {
      const to = Math.min(ts, prev.ts + maxHold)
      this.#exposure.add(prev.ts, to, prev.c, l.maxC, l.ttaC, this.#ttaRun.countingSince)
      if (this.#excursion !== null && prev.c > l.maxC) this.#excursion.degreeMinutes += ((prev.c - l.maxC) * (to - prev.ts)) / minute
    }
    this.#lastTrusted = { ts, c }
    this.#history.push({ t: ts, c, quiet: !this.#windows.inDefrost(ts) })
    const horizon = ts - l.trendWindowMin * minute
    while (this.#history.length > 0 && this.#history[0]!.t < horizon) this.#history.shift()
    if (this.#excursion !== null) this.#excursion.peakC = Math.max(this.#excursion.peakC, c)
    const w = this.#windows
    const doorSincePrev = w.doorOpen || (prev !== null && w.doorClosedAt !== null && w.doorClosedAt > prev.ts)
    this.#capacity.add(ts, c, w.defrostActive, doorSincePrev)
    // A unit whose pull-down is slower than its normal gets no defrost-recovery grace.
    this.#excursionRun.weakCooling = this.#capacity.low

    this.#ttaRun.reading(ts, c, l.ttaC, l.hysteresisC, this.#windows, maxHold)
    this.#excursionRun.reading(ts, c, l.maxC, l.hysteresisC, this.#windows, maxHold)
    if (this.#excursionRun.aboveSince === null) this.#recover(out, ts, c, this.#excursionRun.endedAt ?? ts)
  }

  /** `endedAt`: the first reading of the confirmed recovery (the record's end); the alerts clear at `ts`. */
  #recover(out: ConditionChange[], ts: number, c: number, endedAt: number): void {
    const params = { c: round1(c) }
    this.#conditions.set(out, coldRules.warning, false, ts, params, c)
    this.#conditions.set(out, coldRules.alarm, false, ts, params, c)
    this.#conditions.set(out, coldRules.realarm, false, ts, params, c)
    this.#hardHit = false
    this.#ackAt = null
    const x = this.#excursion
    if (x === null) return
    x.end = Math.max(x.start, endedAt)
    x.durationMin = (x.end - x.start) / minute
    x.closingReadingC = c
    x.peakC = round1(x.peakC)
    x.degreeMinutes = Math.round(x.degreeMinutes * 10) / 10
    this.#records.push(x)
    this.#excursion = null
  }

  #evaluate(out: ConditionChange[], now: number): void {
    const l = this.#l
    const w = this.#windows
    const cs = this.#conditions
    const intervals = (now - this.#lastReadingAt) / this.unit.readingIntervalMs
    cs.set(out, coldRules.offline, intervals > l.offlineIntervals, now, { minutes: Math.round((now - this.#lastReadingAt) / minute) })
    const suspect = this.#health.suspect
    cs.set(out, coldRules.suspect, suspect !== null, now, { reason: suspect ?? this.#health.lastReason ?? '' })

    const doorMin = w.doorOpenMinutes(now)
    cs.set(out, coldRules.doorOpen, w.doorOpen && doorMin >= l.doorOpenAlertMin, now, { minutes: Math.floor(doorMin) })
    cs.set(out, coldRules.defrostOverrun, w.defrostOverrun(now), now, { maxMin: l.defrostMaxMin })

    const last = this.#lastTrusted
    if (last === null) return
    this.#excursionRun.tick(now, w, l.maxC)
    this.#ttaRun.tick(now, w, l.ttaC)
    const run = this.#excursionRun
    const params = { c: round1(last.c) }

    if (last.c > l.hardMaxC && (run.countingSince !== null || !w.suppressed(now))) {
      this.#hardHit = true
      if (run.countingSince === null) run.countingSince = run.aboveSince ?? last.ts
    }
    // Time above the limit counts from the crossing; door and defrost windows that covered the crossing
    // only hold the warning back until they end (by default within the 15 min delay anyway).
    const counted = run.minutesAbove(now)
    const warning = run.countingSince !== null && (counted >= l.warningMin || this.#hardHit)
    const alarm = run.countingSince !== null && (counted >= l.alarmMin || this.#hardHit)
    run.keepStart = warning
    if (warning && this.#excursion === null) this.#openExcursion(run.aboveSince ?? run.countingSince!, last.c)
    if (alarm && this.#excursion !== null) this.#excursion.level = 'alarm'
    const minutes = Math.floor(counted)
    cs.set(out, coldRules.warning, warning, now, { ...params, minutes }, last.c)
    cs.set(out, coldRules.alarm, alarm, now, { ...params, minutes, hard: this.#hardHit ? 1 : 0 }, last.c)
    if (alarm && this.#ackAt !== null && now - this.#ackAt >= l.reAlarmMin * minute) {
      cs.set(out, coldRules.realarm, true, now, { ...params, sinceAckMin: Math.floor((now - this.#ackAt) / minute) }, last.c)
    }

    this.#evaluateTrend(out, now, warning)

    const ttaRunMin = this.#ttaRun.minutes(now)
    cs.set(out, coldRules.ttaMove, ttaRunMin > l.ttaMoveMin, now, { ...params, minutes: Math.floor(ttaRunMin) }, last.c)
    const ttaMin = this.#ttaMinutesAt(now)
    cs.set(out, coldRules.ttaDiscard, ttaMin > l.ttaDiscardMin, now, { ...params, minutes: Math.floor(ttaMin) }, last.c)
  }

  #evaluateTrend(out: ConditionChange[], now: number, warning: boolean): void {
    const l = this.#l
    const cs = this.#conditions
    if (warning) return cs.set(out, coldRules.trend, false, now)
    // Above the limit but not yet a warning: keep whatever the trend said, the excursion timer takes over.
    if (this.#excursionRun.aboveSince !== null) return
    // Door openings only lift the air, which the envelope ignores; defrost windows are left out.
    const quiet = !this.#windows.inDefrost(now)
    const points = quiet && this.#health.suspect === null ? this.#history.filter((p) => p.quiet) : []
    const v = projectTrend(points, now, l, this.unit.readingIntervalMs)
    let params: Record<string, number> = v === null ? {} : { riseCPerH: round1(v.riseCPerH), minutesToLimit: Math.round(v.minutesToLimit) }
    // A pull-down markedly slower than the unit's learned normal: cooling is being lost before the air shows it.
    const cap = this.#health.suspect === null && this.#capacity.low ? this.#capacity.verdict(now) : null
    if (v === null && cap !== null) {
      const last = this.#lastTrusted!
      // Without cooling the air warms at the rate seen between readings: the limit in about this long.
      const warming = Math.max(cap.warmingCPerMin, 1e-3)
      params = {
        riseCPerH: round1(cap.warmingCPerMin * 60),
        minutesToLimit: Math.max(0, Math.round((l.maxC - last.c) / warming)),
        capacityPct: Math.round(cap.ratio * 100),
      }
    }
    // A defrost window only pauses the decision; it does not clear a standing trend warning.
    if (!quiet && cs.isActive(coldRules.trend)) return
    cs.set(out, coldRules.trend, v !== null || cap !== null, now, params, v?.fittedC ?? this.#lastTrusted?.c)
  }

  #openExcursion(start: number, c: number): void {
    let peak = c
    for (const p of this.#history) if (p.t >= start) peak = Math.max(peak, p.c)
    this.#excursion = {
      unit: this.unit.id,
      start,
      end: null,
      peakC: peak,
      durationMin: 0,
      degreeMinutes: 0,
      level: 'warning',
      acknowledgedBy: null,
      acknowledgedAt: null,
      correctiveAction: null,
      closingReadingC: null,
    }
    // Degree-minutes from the start of the excursion up to now, from the readings still in the history.
    const pts = this.#history.filter((p) => p.t >= start)
    for (let i = 0; i + 1 < pts.length; i++) {
      const a = pts[i]!
      if (a.c > this.#l.maxC) this.#excursion.degreeMinutes += ((a.c - this.#l.maxC) * (pts[i + 1]!.t - a.t)) / minute
    }
  }

  #ttaMinutesAt(now: number): number {
    const last = this.#lastTrusted
    const runFrom = this.#ttaRun.countingSince
    if (last === null || runFrom === null || last.c <= this.#l.ttaC) return this.#exposure.ttaMinutes(now, this.#l.ttaWindowMin)
    // The stretch since the last reading is held at that reading, for at most the offline allowance.
    const open = [Math.max(last.ts, runFrom), last.ts + this.#l.offlineIntervals * this.unit.readingIntervalMs] as const
    return this.#exposure.ttaMinutes(now, this.#l.ttaWindowMin, open)
  }
}
