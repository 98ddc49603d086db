import { describe, expect, it } from 'vitest'
import { ManualClock } from '../../gateway/core/clock.ts'
import { ColdChainRules } from '../../gateway/rules/cold/coldChainRules.ts'

describe('cold chain rules for a whole store', () => {
  it('routes readings to their unit and raises the warning on the clock tick that is due', () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 2))
    const rules = new ColdChainRules({ clock, units: [{ id: 'F1', name: 'Milk', class: 'chilled', readingIntervalS: 600 }, { id: 'Z1', name: 'Ice', class: 'frozen', readingIntervalS: 600 }] })
    rules.handle({ kind: 'cold.temp', device: 'cold-f1', unit: 'F1', ts: clock.now(), c: 6, probe: 'air' })
    rules.handle({ kind: 'cold.temp', device: 'cold-z1', unit: 'Z1', ts: clock.now(), c: -20, probe: 'air' })
    clock.set(rules.nextDueAt()!)
    expect(rules.tick().map((c) => [c.rule, c.subject])).toEqual([['cold.excursion.warning', 'cold/F1']])
  })

  it('counts readings for units it does not know instead of throwing', () => {
    const rules = new ColdChainRules({ clock: new ManualClock(), units: [] })
    expect(rules.handle({ kind: 'cold.temp', device: 'x', unit: 'NOPE', ts: 0, c: 3, probe: 'air' })).toEqual([])
    expect(rules.unknownUnits.get('NOPE')).toBe(1)
  })
})
