import { describe, expect, it } from 'vitest'
import { minute, Scenario, t0 } from './scenario.ts'

describe('cold excursion warnings and alarms', () => {
  it('raises a spoilage warning after 15 minutes above 5 °C and clears it when the fridge recovers', () => {
    const s = new Scenario().hold(3, 10).hold(6, 20).hold(3, 5)
    const warning = s.raised('cold.excursion.warning')
    expect(warning).toHaveLength(1)
    expect(warning[0]).toMatchObject({ subject: 'cold/F1', area: 'fresh', severity: 'warning', value: 6 })
    expect(s.firstRaisedMin('cold.excursion.warning')).toBe(25)
    expect(s.cleared('cold.excursion.warning')[0]?.at).toBe(t0 + 30 * minute)
  })

  it('stays quiet when the fridge is back under the limit within 15 minutes', () => {
    const s = new Scenario().hold(3, 10).hold(6, 14).hold(3, 30)
    expect(s.activeRules).toEqual([])
  })

  it('escalates to an alarm when the excursion lasts 30 minutes', () => {
    const s = new Scenario().hold(6, 35)
    expect(s.firstRaisedMin('cold.excursion.warning')).toBe(15)
    expect(s.firstRaisedMin('cold.excursion.alarm')).toBe(30)
    expect(s.raised('cold.excursion.alarm')[0]?.severity).toBe('critical')
  })

  it('raises an alarm at once when the air passes the 8 °C hard limit', () => {
    const s = new Scenario().hold(3, 5).hold(9, 2)
    expect(s.firstRaisedMin('cold.excursion.alarm')).toBe(5)
    expect(s.raised('cold.excursion.alarm')[0]?.message.params['hard']).toBe(1)
  })

  it('uses the frozen limit of −18 °C and routes freezer alerts to the frozen area', () => {
    const s = new Scenario({ class: 'frozen' }).hold(-20, 5).hold(-17, 16)
    expect(s.raised('cold.excursion.warning')[0]).toMatchObject({ area: 'frozen', value: -17 })
  })

  it('takes a per-unit override of the delay', () => {
    const s = new Scenario({ limits: { warningMin: 5 } }).hold(6, 6)
    expect(s.firstRaisedMin('cold.excursion.warning')).toBe(5)
  })

  it('re-alarms an acknowledged alarm that is still not resolved after 30 minutes', () => {
    const s = new Scenario().hold(6, 31)
    s.mon.acknowledge(s.now, '李店员')
    s.hold(6, 29)
    expect(s.raised('cold.excursion.realarm')).toHaveLength(0)
    s.hold(6, 2)
    expect(s.raised('cold.excursion.realarm')).toHaveLength(1)
    s.hold(3, 1)
    expect(s.cleared('cold.excursion.realarm')).toHaveLength(1)
  })

  it('tells the host when the next time-based check is due', () => {
    const s = new Scenario({ readingIntervalS: 600 }).temp(6)
    expect(s.mon.nextDueAt(s.now)).toBe(t0 + 15 * minute)
  })
})

describe('door openings and defrost', () => {
  it('raises nothing for a normal door opening that spikes the air for a few minutes', () => {
    const s = new Scenario().hold(3, 10).door(true).temp(8.5).door(false).ramp(7, 3, 6).hold(3, 60)
    expect(s.activeRules).toEqual([])
  })

  it('warns 15 minutes after a door opening pushed the air over the limit when the fridge never recovers', () => {
    const s = new Scenario().hold(3, 10).door(true).temp(7).door(false).hold(6, 40)
    // Over the limit from the door opening at 10 min; the grace after closing does not add to the delay.
    expect(s.firstRaisedMin('cold.excursion.warning')).toBe(25)
  })

  it('holds a short configured delay back until the door grace is over, so a normal door spike stays quiet', () => {
    const s = new Scenario({ limits: { warningMin: 5 } }).hold(3, 10).door(true).temp(8).door(false).ramp(7, 5.1, 8).hold(3, 20)
    // Above the limit for 9 min (> 5) but back before the 10 min grace after the closing at 11 min ends.
    expect(s.activeRules).toEqual([])
  })

  it('alerts when the door is left open for 5 minutes and clears when it closes', () => {
    const s = new Scenario().hold(3, 2).door(true).hold(4, 6)
    expect(s.firstRaisedMin('cold.door_open')).toBe(7)
    s.door(false).temp(4)
    expect(s.cleared('cold.door_open')).toHaveLength(1)
  })

  it('does not let a door left open hide a warm fridge beyond its own 5 minutes', () => {
    const s = new Scenario().hold(3, 2).door(true).hold(9, 25)
    // Suppressed until 2 + 5 = 7 min; hard limit applies from then.
    expect(s.firstRaisedMin('cold.excursion.alarm')).toBe(7)
  })

  it('does not let a busy run of door openings delay the warning for a warm fridge', () => {
    const s = new Scenario().hold(3, 5)
    for (let i = 0; i < 12; i++) s.door(true).temp(6).door(false).hold(6, 4)
    // Above from the first opening at 5 min; every later opening falls inside the running delay.
    expect(s.firstRaisedMin('cold.excursion.warning')).toBe(20)
  })

  it('raises nothing for a 20 minute defrost that warms the air to 9 °C', () => {
    const s = new Scenario().hold(3, 10).defrost(true).ramp(3, 9, 20).defrost(false).ramp(9, 3, 8).hold(3, 60)
    expect(s.activeRules).toEqual([])
  })

  it('counts the excursion again when defrost runs past its 45 minute maximum', () => {
    const s = new Scenario().hold(3, 10).defrost(true).hold(7, 65)
    expect(s.firstRaisedMin('cold.defrost_overrun')).toBe(55)
    expect(s.firstRaisedMin('cold.excursion.warning')).toBe(70)
  })
})
