/**
 * All cold units of a store: routes canonical readings to each unit's state machine, ticks them with
 * the injected clock, and collects closed excursions for the HACCP log. Pure: the gateway arms one timer
 * for `nextDueAt()` and hands the ConditionChanges to the alert engine.
 */
import type { Clock } from '../../core/clock.ts'
import type { ConditionChange } from '../../contract/conditions.ts'
import type { Reading } from '../../contract/readings.ts'
import type { ExcursionRecord } from '../../haccp/records.ts'
import { ColdUnitMonitor, type ColdUnitStatus } from '../../../devices/cold/excursion.ts'
import { resolveColdUnit, type ColdUnitConfig } from '../../../devices/cold/limits.ts'

export interface ColdChainRulesOptions {
  units: readonly ColdUnitConfig[]
  clock: Clock
}

export class ColdChainRules {
  readonly #clock: Clock
  readonly #monitors = new Map<string, ColdUnitMonitor>()
  /** Readings for units not in the config, per unit id (shown on the device list, never thrown). */
  readonly unknownUnits = new Map<string, number>()

  /** Throws with every config error at once: the config loader calls it at start. */
  constructor(options: ColdChainRulesOptions) {
    this.#clock = options.clock
    const errors: string[] = []
    const now = options.clock.now()
    for (const config of options.units) {
      const r = resolveColdUnit(config)
      if (r.ok) this.#monitors.set(config.id, new ColdUnitMonitor(r.unit, now))
      else errors.push(...r.errors)
    }
    if (errors.length > 0) throw new Error(`cold units: ${errors.join('; ')}`)
  }

  handle(reading: Reading): ConditionChange[] {
    if (reading.kind !== 'cold.temp' && reading.kind !== 'cold.door' && reading.kind !== 'cold.defrost') return []
    const m = this.#monitors.get(reading.unit)
    if (m === undefined) {
      this.unknownUnits.set(reading.unit, (this.unknownUnits.get(reading.unit) ?? 0) + 1)
      return []
    }
    return m.reading(reading)
  }

  tick(): ConditionChange[] {
    const now = this.#clock.now()
    const out: ConditionChange[] = []
    for (const m of this.#monitors.values()) out.push(...m.tick(now))
    return out
  }

  acknowledge(unit: string, by: string): ConditionChange[] {
    return this.#monitors.get(unit)?.acknowledge(this.#clock.now(), by) ?? []
  }

  correctiveAction(unit: string, text: string): boolean {
    return this.#monitors.get(unit)?.correctiveAction(text) ?? false
  }

  resetExposure(unit: string): ConditionChange[] {
    return this.#monitors.get(unit)?.resetExposure(this.#clock.now()) ?? []
  }

  nextDueAt(): number | null {
    const now = this.#clock.now()
    let next: number | null = null
    for (const m of this.#monitors.values()) {
      const t = m.nextDueAt(now)
      if (t !== null && (next === null || t < next)) next = t
    }
    return next
  }

  takeRecords(): ExcursionRecord[] {
    return [...this.#monitors.values()].flatMap((m) => m.takeRecords())
  }

  status(): ColdUnitStatus[] {
    const now = this.#clock.now()
    return [...this.#monitors.values()].map((m) => m.status(now))
  }
}
