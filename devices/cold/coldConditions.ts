/**
 * The cold-chain rule ids, their severities, and a small set that turns "this condition holds now"
 * into ConditionChange objects only when it toggles (one alert per rule and subject, never spam).
 */
import type { Area, ConditionChange, Severity } from '../../gateway/contract/conditions.ts'

export const coldRules = {
  warning: 'cold.excursion.warning',
  alarm: 'cold.excursion.alarm',
  /** An acknowledged alarm still unresolved after reAlarmMin: a new alert so it is sent again. */
  realarm: 'cold.excursion.realarm',
  trend: 'cold.trend',
  doorOpen: 'cold.door_open',
  defrostOverrun: 'cold.defrost_overrun',
  ttaMove: 'cold.tta.move_or_discard',
  ttaDiscard: 'cold.tta.discard',
  offline: 'cold.sensor.offline',
  suspect: 'cold.sensor.suspect',
} as const

export type ColdRule = (typeof coldRules)[keyof typeof coldRules]

export const coldSeverity: Record<ColdRule, Severity> = {
  'cold.excursion.warning': 'warning',
  'cold.excursion.alarm': 'critical',
  'cold.excursion.realarm': 'critical',
  'cold.trend': 'warning',
  'cold.door_open': 'warning',
  'cold.defrost_overrun': 'warning',
  'cold.tta.move_or_discard': 'critical',
  'cold.tta.discard': 'critical',
  'cold.sensor.offline': 'warning',
  'cold.sensor.suspect': 'warning',
}

export type Params = Record<string, string | number>

export class ConditionSet {
  readonly #subject: string
  readonly #area: Area
  readonly #base: Params
  readonly #active = new Map<ColdRule, number>()

  constructor(unitId: string, area: Area, base: Params) {
    this.#subject = `cold/${unitId}`
    this.#area = area
    this.#base = base
  }

  isActive(rule: ColdRule): boolean {
    return this.#active.has(rule)
  }

  /** Since when a rule has been active (undefined when not). */
  since(rule: ColdRule): number | undefined {
    return this.#active.get(rule)
  }

  /** Report the condition's current truth; pushes a change onto `out` only when it toggles. */
  set(out: ConditionChange[], rule: ColdRule, active: boolean, at: number, params: Params = {}, value?: number): void {
    if (active === this.#active.has(rule)) return
    if (active) this.#active.set(rule, at)
    else this.#active.delete(rule)
    const change: ConditionChange = {
      rule,
      subject: this.#subject,
      active,
      severity: coldSeverity[rule],
      area: this.#area,
      at,
      message: { key: rule, params: { ...this.#base, ...params } },
    }
    if (value !== undefined) change.value = round1(value)
    out.push(change)
  }
}

export function round1(c: number): number {
  return Math.round(c * 10) / 10
}
