import { describe, expect, it } from 'vitest'
import { chilledFridge, FridgeSim, frozenDisplay } from '../../firmware-sim/cold/fridge.ts'
import type { ColdUnitClass } from '../../devices/cold/limits.ts'
import { minute, Scenario, t0 } from './scenario.ts'

/**
 * A thermostat sawtooth 1.8 → 3.8 °C: warming at 0.25 °C/min for 8 min, then a pull-down of 2 °C over
 * `pullMin` minutes (healthy: 2 min).
 */
function cycles(s: Scenario, minutes: number, pullMin = 2): Scenario {
  const period = 8 + pullMin
  for (let i = 0; i < minutes; i++) {
    const phase = i % period
    s.temp(Math.round((phase < 8 ? 1.8 + phase * 0.25 : 3.8 - ((phase - 8) * 2) / pullMin) * 100) / 100)
  }
  return s
}

/**
 * Plays a simulated unit minute by minute (physics every 10 s, doors and defrosts passed on as they
 * happen) until `until`; `crossed` is the bench's ground truth for a leak: the start of the first run
 * above the limit that stays above limit − 0.5 °C for 15 min, after `leakAt`.
 */
function play(sim: FridgeSim, cls: ColdUnitClass, maxC: number, until: number, leakAt = Infinity): { s: Scenario; crossed: number | null } {
  const s = new Scenario({ class: cls })
  let door = false
  let defrost = false
  let crossed: number | null = null
  let run: number | null = null
  for (let t = t0; t < until && crossed === null; t += 10_000) {
    const st = sim.tick(t, 10_000)
    s.now = t
    if (st.doorOpen !== door) s.door((door = st.doorOpen))
    if (st.defrostActive !== defrost) s.defrost((defrost = st.defrostActive))
    if (st.defrostActive || st.airC <= maxC - 0.5) run = null
    else if (st.airC > maxC && run === null) run = t
    if (t > leakAt && run !== null && t - run >= 15 * minute) crossed = run
    if ((t - t0) % minute === 0) s.temp(sim.readProbe(t)!)
  }
  return { s, crossed }
}

describe('cooling capacity (cold.trend)', () => {
  it('warns when the pull-down becomes much slower than the unit learned, while it still reaches cut-out', () => {
    const s = cycles(new Scenario(), 7 * 60) // learns a normal pull-down of 1 °C/min
    expect(s.raised('cold.trend')).toEqual([])
    cycles(s, 90, 8) // the same 2 °C now takes 8 min: a quarter of the normal rate
    const trend = s.raised('cold.trend')[0]
    expect(trend).toBeDefined()
    expect(trend!.message.params['capacityPct']).toBeLessThan(50)
    expect(s.raised('cold.excursion.warning')).toEqual([])
  })

  it('reads a slow pull-down as slow even when probe noise makes single steps look fast', () => {
    const s = cycles(new Scenario(), 7 * 60)
    // 2 °C over 5 min (0.4 × normal) with ±0.1 °C probe noise: single steps fall up to 0.6 °C/min.
    const noise = [0.1, -0.1, 0, 0.1, -0.1]
    for (let k = 0; k < 90; k++) {
      const phase = k % 13
      const c = phase < 8 ? 1.8 + phase * 0.25 : 3.8 - ((phase - 8) * 2) / 5
      s.temp(Math.round((c + noise[k % noise.length]!) * 10) / 10)
    }
    const trend = s.raised('cold.trend')[0]
    expect(trend).toBeDefined()
    expect(trend!.message.params['capacityPct']).toBeLessThan(50)
  })

  it('does not blame the compressor for a pull-down stalled by a door opening', () => {
    const s = cycles(new Scenario(), 7 * 60)
    // Every pull-down stalls half-way for three minutes while a door lets warm air in.
    for (let k = 0; k < 3 * 60; k++) {
      const phase = k % 14
      if (phase === 9) s.door(true)
      if (phase === 12) s.door(false)
      s.temp(phase < 8 ? Math.round((1.8 + phase * 0.25) * 100) / 100 : [3.8, 2.8, 3.1, 3.2, 3.1, 2.3, 1.8][phase - 8]!)
    }
    expect(s.raised('cold.trend')).toEqual([])
  })

  it('stays quiet while a unit keeps its own normal pull-down', () => {
    const s = cycles(new Scenario(), 7 * 60)
    cycles(s, 3 * 60)
    expect(s.activeRules).toEqual([])
  })

  it('stays quiet through a simulated week of door openings and defrosts', () => {
    const sim = new FridgeSim(chilledFridge, 11, t0)
    const s = new Scenario()
    let door = false
    let defrost = false
    for (let t = t0; t < t0 + 7 * 24 * 60 * minute; t += 10_000) {
      const st = sim.tick(t, 10_000)
      s.now = t
      if (st.doorOpen !== door) s.door((door = st.doorOpen))
      if (st.defrostActive !== defrost) s.defrost((defrost = st.defrostActive))
      if ((t - t0) % minute === 0) s.temp(sim.readProbe(t)!)
    }
    expect(s.raised('cold.trend')).toEqual([])
  })

  it('warns at least 10 minutes before a simulated refrigerant leak crosses the limit', () => {
    const sim = new FridgeSim(chilledFridge, 5, t0)
    const leakAt = t0 + 12 * 60 * minute
    sim.inject({ type: 'compressor-degraded', start: leakAt, end: leakAt + 12 * 60 * minute })
    const s = new Scenario()
    let door = false
    let defrost = false
    let crossed: number | null = null
    let run: number | null = null
    for (let t = t0; t < leakAt + 12 * 60 * minute && crossed === null; t += 10_000) {
      const st = sim.tick(t, 10_000)
      s.now = t
      if (st.doorOpen !== door) s.door((door = st.doorOpen))
      if (st.defrostActive !== defrost) s.defrost((defrost = st.defrostActive))
      // As on the bench: the start of the first run above 5 °C that stays above 4.5 °C for 15 min.
      if (st.defrostActive || st.airC <= 4.5) run = null
      else if (st.airC > 5 && run === null) run = t
      if (t > leakAt && run !== null && t - run >= 15 * minute) crossed = run
      if ((t - t0) % minute === 0) s.temp(sim.readProbe(t)!)
    }
    const trend = s.raised('cold.trend')[0]
    expect(crossed).not.toBeNull()
    expect(trend).toBeDefined()
    expect(trend!.at).toBeGreaterThan(leakAt)
    expect(crossed! - trend!.at).toBeGreaterThanOrEqual(10 * minute)
  })

  it('gives a weak unit no defrost-recovery grace: the warning comes warningMin after the defrost heat', () => {
    const s = cycles(new Scenario(), 7 * 60)
    cycles(s, 60, 8) // pull-down a quarter of normal
    s.defrost(true).ramp(3, 7, 20).defrost(false)
    const heatEnd = s.now
    // Slow pull-down after the heat that would reach the limit only at the end of the recovery window.
    s.ramp(7, 5.2, 14).hold(5.2, 10)
    const warning = s.raised('cold.excursion.warning')[0]
    expect(warning).toBeDefined()
    expect(warning!.at - heatEnd).toBeLessThanOrEqual(16 * minute)
  })

  it('stays quiet on a healthy frozen display case through a week of doors, defrosts and probe noise, though one pull-down is shorter than a reading interval', () => {
    const sim = new FridgeSim(frozenDisplay, 4, t0)
    const { s } = play(sim, 'frozen-display', -15, t0 + 7 * 24 * 60 * minute)
    expect(s.raised('cold.trend')).toEqual([])
    expect(s.raised('cold.excursion.warning')).toEqual([])
  })

  it('warns at least 10 minutes before a refrigerant leak in a frozen display case crosses −15 °C', () => {
    const sim = new FridgeSim(frozenDisplay, 14, t0)
    const leakAt = t0 + 12 * 60 * minute
    sim.inject({ type: 'compressor-degraded', start: leakAt, end: leakAt + 12 * 60 * minute })
    const { s, crossed } = play(sim, 'frozen-display', -15, leakAt + 12 * 60 * minute, leakAt)
    const trend = s.raised('cold.trend')[0]
    expect(crossed).not.toBeNull()
    expect(trend).toBeDefined()
    expect(trend!.at).toBeGreaterThan(leakAt)
    expect(crossed! - trend!.at).toBeGreaterThanOrEqual(10 * minute)
  })

  it('does not count a pull-down the door slowed while it was under way, even when the air never rose', () => {
    const s = cycles(new Scenario(), 7 * 60)
    // Every pull-down: the door opens one minute in, and room air holds the fall to 0.2 °C/min until
    // it closes; the compressor is as strong as ever.
    for (let k = 0; k < 3 * 60; k++) {
      const phase = k % 18
      if (phase === 9) s.door(true)
      if (phase === 15) s.door(false)
      s.temp(phase < 8 ? Math.round((1.8 + phase * 0.25) * 100) / 100 : [3.8, 2.8, 2.6, 2.4, 2.2, 2.1, 2.0, 1.8, 1.8, 1.8][phase - 8]!)
    }
    expect(s.raised('cold.trend')).toEqual([])
  })
})
