import { describe, expect, it } from 'vitest'
import { minute, Scenario, t0 } from './scenario.ts'

/** Defrost heat warms the air from 3 to 7.5 °C over 20 minutes (under the 8 °C hard limit); it ends at 30 min. */
function afterDefrost(s: Scenario): Scenario {
  return s.hold(3, 10).defrost(true).ramp(3, 7.5, 20).defrost(false)
}

describe('when the excursion timer starts', () => {
  it('starts the delay where the air crossed the limit between two readings', () => {
    const s = new Scenario({ readingIntervalS: 300 }).temp(3).temp(7)
    // 3 °C at 0 min, 7 °C at 5 min: the air passed 5 °C at 2.5 min.
    expect(s.mon.nextDueAt(s.now)).toBe(t0 + 17.5 * minute)
  })

  it('dates a slow crossing from the line through the readings approaching the limit, not from the last reading at it', () => {
    // A power cut warms the air slowly; the 0.1 °C probe steps read 5.0 °C twice after the air passed 5 °C.
    const s = new Scenario().hold(4.4, 1)
    for (const c of [4.6, 4.7, 4.8, 4.9, 5.0, 5.0, 5.2]) s.temp(c)
    // Line through 4.8 … 5.2 (3–7 min): 0.09 °C/min, at 5 °C at 5.22 min; the last two readings alone say 6 min.
    expect((s.mon.status(s.now).countingSince! - t0) / minute).toBeCloseTo(5.22, 2)
    s.hold(5.4, 15)
    expect((s.mon.status(s.now).excursion!.start - t0) / minute).toBeCloseTo(5.22, 2)
  })

  it('stays quiet when a slow warm spell stays above the limit for less than the delay', () => {
    const s = new Scenario().hold(4.4, 1)
    for (const c of [4.6, 4.7, 4.8, 4.9, 5.0, 5.0, 5.1]) s.temp(c)
    // The line through 4.8 … 5.1 (3–7 min) puts the crossing at 5.57 min; back under at 19 min, confirmed at 20.
    s.hold(5.2, 11).hold(4.4, 2)
    expect(s.raised('cold.excursion.warning')).toEqual([])
    expect(s.mon.takeRecords()).toEqual([])
  })

  it('does not date the crossing back over an hour of a unit idling just under the limit', () => {
    const s = new Scenario().hold(4.4, 1)
    for (let i = 0; i < 60; i++) s.temp([4.9, 5.0, 4.8, 5.0, 4.9][i % 5]!)
    const first = s.now
    s.temp(5.1).hold(5.0, 20)
    // The fit reaches back at most four readings before the first one above the limit.
    expect(s.mon.status(s.now).countingSince!).toBeGreaterThanOrEqual(first - 4 * minute)
    expect(s.raised('cold.excursion.warning')[0]!.at).toBeGreaterThanOrEqual(first + 11 * minute)
  })

  it('warns 15 minutes after a defrost ends when the compressor does not pull the air back down', () => {
    const s = afterDefrost(new Scenario()).hold(7.5, 20)
    expect(s.firstRaisedMin('cold.excursion.warning')).toBe(45)
  })

  it('gives the defrost recovery its full grace when the unit pulls the air down and door openings keep it just above', () => {
    const s = afterDefrost(new Scenario()).ramp(7.5, 4.8, 4).temp(4.8)
    for (let i = 0; i < 5; i++) s.door(true).temp(6).door(false).hold(5.5, 3)
    s.hold(3, 20)
    // Still above 5 °C at 45 min (15 min after the defrost), back under it at 55 min.
    expect(s.activeRules).toEqual([])
  })

  it('does not let a door opening after a defrost stretch the recovery grace of a unit that is not cooling', () => {
    const s = afterDefrost(new Scenario()).hold(7.5, 10).door(true).temp(7.5).door(false).hold(7.5, 10)
    // The door at 40 min would excuse the run until 51 min; the grace ends 15 min after the defrost.
    expect(s.firstRaisedMin('cold.excursion.warning')).toBe(45)
  })

  it('restarts the delay at the end of a defrost that begins before the warning', () => {
    const s = new Scenario().hold(3, 5).hold(6, 5).defrost(true).hold(6, 20).defrost(false).hold(6, 20)
    // Above from 5 min; the defrost runs 10–30 min; the unit does not pull down after it.
    expect(s.firstRaisedMin('cold.excursion.warning')).toBe(45)
  })

  it('keeps a raised warning through a defrost that starts during the excursion', () => {
    const s = new Scenario().hold(3, 5).hold(6, 20).defrost(true).hold(6, 15)
    expect(s.firstRaisedMin('cold.excursion.warning')).toBe(20)
    expect(s.cleared('cold.excursion.warning')).toEqual([])
  })
})

describe('when an excursion ends', () => {
  it('keeps counting when one noisy reading touches the clearing threshold while the fridge hovers at the limit', () => {
    const s = new Scenario().hold(3, 5).hold(5.3, 8).temp(4.5).hold(5.3, 10)
    // Over the limit between 4 and 5 min; one 4.5 °C reading at 13 min does not restart the timer.
    expect(s.firstRaisedMin('cold.excursion.warning')).toBe(20)
  })

  it('ends the excursion on the second reading in a row at the clearing threshold, dated from the first', () => {
    const s = new Scenario().hold(6, 20).temp(4.5)
    expect(s.cleared('cold.excursion.warning')).toEqual([])
    s.temp(4.5)
    expect(s.cleared('cold.excursion.warning')[0]?.at).toBe(t0 + 21 * minute)
    expect(s.mon.takeRecords()[0]?.end).toBe(t0 + 20 * minute)
  })

  it('does not let a door opening cancel a recovery that has begun', () => {
    const s = new Scenario().hold(6, 20).temp(4.5).door(true).temp(6).door(false).temp(4.5)
    expect(s.cleared('cold.excursion.warning')[0]?.at).toBe(t0 + 22 * minute)
    expect(s.mon.takeRecords()[0]?.end).toBe(t0 + 20 * minute)
  })
})
