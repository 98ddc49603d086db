/** Test driver for one cold unit: play temperatures, doors and defrosts on fake time, collect what it says. */
import type { ConditionChange } from '../../gateway/contract/conditions.ts'
import { ColdUnitMonitor } from '../../devices/cold/excursion.ts'
import { mustResolveColdUnit, type ColdUnitConfig } from '../../devices/cold/limits.ts'

export const minute = 60_000
export const t0 = Date.UTC(2026, 10, 2, 6, 0, 0)

export class Scenario {
  readonly mon: ColdUnitMonitor
  readonly changes: ConditionChange[] = []
  now = t0
  readonly intervalMs: number

  constructor(config: Partial<ColdUnitConfig> = {}) {
    const unit = mustResolveColdUnit({ id: 'F1', name: '乳品冷柜', class: 'chilled', readingIntervalS: 60, ...config })
    this.mon = new ColdUnitMonitor(unit, t0)
    this.intervalMs = unit.readingIntervalMs
  }

  #take(cs: ConditionChange[]): void {
    this.changes.push(...cs)
  }

  /** One reading now, then advance one interval (ticking at the end). */
  temp(c: number): this {
    this.#take(this.mon.reading({ kind: 'cold.temp', device: 'cold-f1', unit: 'F1', ts: this.now, c, probe: 'air' }))
    this.now += this.intervalMs
    this.#take(this.mon.tick(this.now))
    return this
  }

  /** Readings at `c` for `minutes`. */
  hold(c: number, minutes: number): this {
    const end = this.now + minutes * minute
    while (this.now < end) this.temp(c)
    return this
  }

  /** A linear ramp from a to b over `minutes`. */
  ramp(a: number, b: number, minutes: number): this {
    const n = Math.max(1, Math.round((minutes * minute) / this.intervalMs))
    for (let i = 0; i < n; i++) this.temp(Math.round((a + ((b - a) * i) / n) * 10) / 10)
    return this
  }

  door(open: boolean): this {
    this.#take(this.mon.reading({ kind: 'cold.door', device: 'door-f1', unit: 'F1', ts: this.now, open }))
    return this
  }

  defrost(active: boolean): this {
    this.#take(this.mon.reading({ kind: 'cold.defrost', device: 'cold-f1', unit: 'F1', ts: this.now, active }))
    return this
  }

  /** Advance without readings, ticking every minute. */
  silence(minutes: number): this {
    for (let i = 0; i < minutes; i++) {
      this.now += minute
      this.#take(this.mon.tick(this.now))
    }
    return this
  }

  raised(rule: string): ConditionChange[] {
    return this.changes.filter((c) => c.rule === rule && c.active)
  }

  cleared(rule: string): ConditionChange[] {
    return this.changes.filter((c) => c.rule === rule && !c.active)
  }

  /** Minutes after t0 at which a rule was first raised. */
  firstRaisedMin(rule: string): number | undefined {
    const c = this.raised(rule)[0]
    return c === undefined ? undefined : (c.at - t0) / minute
  }

  get activeRules(): string[] {
    return this.changes.filter((c) => c.active).map((c) => c.rule)
  }
}
