import { describe, expect, it } from 'vitest'
import { Scenario } from './scenario.ts'

describe('cumulative exposure and time–temperature rules', () => {
  it('counts minutes and degree-minutes above the limit', () => {
    const s = new Scenario().hold(3, 5).hold(7, 10).hold(3, 5)
    const st = s.mon.status(s.now)
    expect(st.minutesAboveLimit).toBe(10)
    expect(st.degreeMinutesAboveLimit).toBeCloseTo(20, 6)
  })

  it('asks staff to move or discard the food after more than 2 hours above 5 °C', () => {
    const s = new Scenario().hold(6, 122)
    expect(s.firstRaisedMin('cold.tta.move_or_discard')).toBe(121)
    s.hold(3, 1)
    expect(s.cleared('cold.tta.move_or_discard')).toHaveLength(1)
  })

  it('raises a discard alert after more than 4 hours above 5 °C in total within a day', () => {
    const s = new Scenario()
    for (let i = 0; i < 5; i++) s.hold(6, 50).hold(3, 30)
    expect(s.raised('cold.tta.discard')).toHaveLength(1)
    expect(s.raised('cold.tta.discard')[0]?.severity).toBe('critical')
  })

  it('stays under the discard rule at 4 hours in total', () => {
    const s = new Scenario()
    for (let i = 0; i < 4; i++) s.hold(6, 60).hold(3, 30)
    expect(s.raised('cold.tta.discard')).toHaveLength(0)
  })

  it('starts the time–temperature clock again when the stock is replaced', () => {
    const s = new Scenario()
    for (let i = 0; i < 5; i++) s.hold(6, 50).hold(3, 30)
    const cleared = s.mon.resetExposure(s.now)
    expect(cleared.map((c) => [c.rule, c.active])).toEqual([['cold.tta.discard', false]])
    expect(s.mon.status(s.now).ttaMinutes).toBe(0)
  })

  it('does not count the door grace of a normal opening towards the 4 hours', () => {
    const s = new Scenario().hold(3, 5)
    for (let i = 0; i < 50; i++) s.door(true).temp(7).door(false).ramp(6, 3, 3).hold(3, 10)
    expect(s.mon.status(s.now).ttaMinutes).toBe(0)
    expect(s.mon.status(s.now).minutesAboveLimit).toBeGreaterThan(50)
  })
})
