import { describe, expect, it } from 'vitest'
import { generateScenario } from '../../firmware-sim/locker/scenario.ts'
import type { ScenarioOptions } from '../../firmware-sim/locker/scenario.ts'

const options: ScenarioOptions = {
  seed: 42,
  start: Date.UTC(2026, 0, 1, 8),
  lockers: [
    { id: 'K1', slots: Array.from({ length: 24 }, (_, i) => (i < 6 ? 'chilled' : 'ambient')) },
    { id: 'K2', slots: Array.from({ length: 24 }, () => 'ambient') },
  ],
  orders: 40,
  lateShare: 0.2,
  noShowShare: 0.1,
  wrongCodeShare: 0.2,
  leftOpenShare: 0.1,
}

describe('locker scenario generator', () => {
  it('plays the same day for the same seed', () => {
    expect(generateScenario(options)).toEqual(generateScenario(options))
    expect(generateScenario({ ...options, seed: 43 })).not.toEqual(generateScenario(options))
  })

  it('puts every order in its own compartment and keeps the steps in time order', () => {
    const s = generateScenario(options)
    const places = s.orders.map((o) => `${o.locker}/${o.slot}`)
    expect(new Set(places).size).toBe(s.orders.length)
    const times = s.steps.map((x) => x.at)
    expect(times).toEqual([...times].sort((a, b) => a - b))
  })

  it('includes late pickups, no-shows returned by staff, wrong codes and doors left open', () => {
    const s = generateScenario(options)
    expect(s.orders.some((o) => o.fate === 'late')).toBe(true)
    expect(s.orders.some((o) => o.leavesDoorOpen)).toBe(true)
    expect(s.steps.some((x) => x.action === 'enter_code' && !x.correct)).toBe(true)
    for (const o of s.orders.filter((x) => x.fate === 'no_show')) {
      const ret = s.steps.find((x) => x.orderId === o.id && x.action === 'return')
      expect(ret && ret.at).toBeGreaterThan(o.deadline)
    }
    for (const o of s.orders.filter((x) => x.fate === 'late')) {
      const pickup = s.steps.find((x) => x.orderId === o.id && x.action === 'enter_code' && x.correct)
      expect(pickup && pickup.at).toBeGreaterThan(o.deadline)
    }
  })

  it('never creates more orders than there are compartments', () => {
    expect(generateScenario({ ...options, orders: 500 }).orders.length).toBe(48)
  })

  it('sends some chilled orders to ambient compartments when asked, keeping the goods\' own class', () => {
    const s = generateScenario({ ...options, misplacedChilledShare: 1 })
    const slotClass = (o: { locker: string; slot: number }) => options.lockers.find((l) => l.id === o.locker)?.slots[o.slot - 1]
    const chilled = s.orders.filter((o) => o.tempClass === 'chilled')
    expect(chilled.length).toBeGreaterThan(0)
    expect(chilled.every((o) => slotClass(o) === 'ambient')).toBe(true)
  })
})
