/**
 * What the gateway shows of one cold unit: the monitor's status plus the conditions it has raised,
 * turned into the staff page's ColdUnitView, the retained `state/cold/{unit}` payload and the
 * restart snapshot. Pure.
 */
import type { ConditionChange } from '../contract/conditions.ts'
import type { ColdUnitView } from '../core/apis.ts'
import type { ColdUnitStatus } from '../../devices/cold/excursion.ts'
import type { ResolvedColdUnit } from '../../devices/cold/limits.ts'
import type { ExcursionRecord } from '../haccp/records.ts'

type Status = ColdUnitView['status']

const alarmRules = ['cold.excursion.alarm', 'cold.excursion.realarm', 'cold.tta.move_or_discard', 'cold.tta.discard']
const warningRules = ['cold.excursion.warning', 'cold.trend', 'cold.door_open', 'cold.defrost_overrun']

/** What latest_state keeps per unit (key `cold/{unit}`). */
export interface ColdSnapshot {
  v: 1
  lastReadingAt: number | null
  /** Active rule → since. */
  active: Record<string, number>
  status: Status
  since: number
  /** The open excursion with who acknowledged it and the action written, re-applied after a replay. */
  excursion: ExcursionRecord | null
}

export class ColdUnitState {
  readonly unit: ResolvedColdUnit
  readonly active = new Map<string, number>()
  #status: Status = 'unknown'
  #since: number

  constructor(unit: ResolvedColdUnit, startAt: number) {
    this.unit = unit
    this.#since = startAt
  }

  /** Status and since from before a restart; the active rules come from the replay, not from here. */
  restore(s: ColdSnapshot): void {
    this.#status = s.status
    this.#since = s.since
  }

  /** Records condition changes about this unit; returns true when the status changed. */
  apply(changes: readonly ConditionChange[], m: ColdUnitStatus, now: number): boolean {
    for (const c of changes) {
      if (c.subject !== `cold/${this.unit.id}`) continue
      if (c.active) this.active.set(c.rule, c.at)
      else this.active.delete(c.rule)
    }
    const next = this.#derive(m)
    if (next === this.#status) return false
    this.#status = next
    const causes = [...this.active.values()]
    this.#since = causes.length && next !== 'ok' ? Math.min(...causes) : (m.lastReadingAt ?? now)
    return true
  }

  get status(): Status {
    return this.#status
  }

  view(m: ColdUnitStatus): ColdUnitView {
    const v: ColdUnitView = {
      id: this.unit.id,
      name: this.unit.name,
      class: this.unit.class,
      area: this.unit.area,
      limitC: this.unit.limits.maxC,
      doorOpen: m.doorOpen,
      defrost: m.defrostActive,
      status: this.#status,
      since: this.#since,
    }
    if (m.lastC !== null) v.tempC = m.lastC
    if (m.lastReadingAt !== null) v.lastReadingAt = m.lastReadingAt
    return v
  }

  /** Retained `state/cold/{unit}`: the view plus the open excursion and the exposure figures. */
  statePayload(m: ColdUnitStatus): ColdUnitView & { alerts: string[]; excursion: ExcursionRecord | null; minutesAboveLimit: number; ttaMinutes: number } {
    return {
      ...this.view(m),
      alerts: [...this.active.keys()].sort(),
      excursion: m.excursion,
      minutesAboveLimit: Math.round(m.minutesAboveLimit * 10) / 10,
      ttaMinutes: Math.round(m.ttaMinutes * 10) / 10,
    }
  }

  /** Changes that are worth a new retained message (not every tenth of a minute of exposure). */
  stateKey(m: ColdUnitStatus): string {
    const x = m.excursion
    // Temperature in half-degree steps: a retained publish is a write to the broker's store (SD card).
    const c = m.lastC === null || m.lastC === undefined ? null : Math.round(m.lastC * 2) / 2
    return JSON.stringify([c, m.doorOpen, m.defrostActive, this.#status, [...this.active.keys()].sort(), x?.start, x?.level, x?.acknowledgedBy, x?.peakC])
  }

  snapshot(m: ColdUnitStatus): ColdSnapshot {
    return { v: 1, lastReadingAt: m.lastReadingAt, active: Object.fromEntries(this.active), status: this.#status, since: this.#since, excursion: m.excursion }
  }

  #derive(m: ColdUnitStatus): Status {
    const has = (rules: string[]) => rules.some((r) => this.active.has(r))
    if (has(alarmRules)) return 'alarm'
    if (has(warningRules)) return 'warning'
    if (this.active.has('cold.sensor.offline')) return m.lastReadingAt === null ? 'unknown' : 'offline'
    if (this.active.has('cold.sensor.suspect')) return 'suspect'
    if (m.lastReadingAt === null) return 'unknown'
    return 'ok'
  }
}

/**
 * Replaying stored readings after a restart toggles conditions on the way (a deadbanded row every
 * few minutes looks like a short sensor silence). Only the end result matters to the alert engine:
 * the last change per (rule, subject).
 */
export function netConditions(changes: readonly ConditionChange[]): ConditionChange[] {
  const last = new Map<string, ConditionChange>()
  for (const c of changes) {
    const key = `${c.rule}|${c.subject}`
    last.delete(key)
    last.set(key, c)
  }
  return [...last.values()]
}
