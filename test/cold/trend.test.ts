import { describe, expect, it } from 'vitest'
import { chilledFridge, FridgeSim } from '../../firmware-sim/cold/fridge.ts'
import { minute, Scenario, t0 } from './scenario.ts'

/** A thermostat sawtooth between 1.8 and 3.8 °C, 12 minutes a cycle. */
function sawtooth(s: Scenario, minutes: number): Scenario {
  for (let i = 0; i < minutes; i++) {
    const phase = i % 12
    s.temp(phase < 8 ? 1.8 + phase * 0.25 : 3.8 - (phase - 8) * 0.5)
  }
  return s
}

describe('trend warning', () => {
  it('warns when a failing compressor projects the limit within 30 minutes, before the limit is crossed', () => {
    const s = sawtooth(new Scenario(), 60).ramp(2.5, 5.5, 75)
    const trend = s.raised('cold.trend')[0]
    expect(trend).toBeDefined()
    const crossedAt = t0 + (60 + 50) * minute // 2.5 → 5.5 over 75 min crosses 5 °C after 62.5 min
    expect(crossedAt - trend!.at).toBeGreaterThanOrEqual(10 * minute)
  })

  it('stays quiet through a normal compressor sawtooth', () => {
    const s = sawtooth(new Scenario(), 6 * 60)
    expect(s.activeRules).toEqual([])
  })

  it('stays quiet through a busy simulated day of door openings and defrosts', () => {
    const sim = new FridgeSim(chilledFridge, 7, t0)
    const s = new Scenario()
    let door = false
    let defrost = false
    for (let t = t0; t < t0 + 24 * 60 * minute; t += 10_000) {
      const st = sim.tick(t, 10_000)
      s.now = t
      if (st.doorOpen !== door) s.door((door = st.doorOpen))
      if (st.defrostActive !== defrost) s.defrost((defrost = st.defrostActive))
      if ((t - t0) % minute === 0) {
        s.temp(sim.readProbe(t)!)
      }
    }
    expect(s.activeRules).toEqual([])
  })
})
