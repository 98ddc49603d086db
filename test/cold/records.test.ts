import { describe, expect, it } from 'vitest'
import { minute, Scenario, t0 } from './scenario.ts'

describe('excursion records for the HACCP log', () => {
  it('records an excursion with its peak, duration, degree-minutes, acknowledgement, action and closing reading', () => {
    const s = new Scenario().hold(3, 10).hold(6, 10).hold(7, 21)
    s.mon.acknowledge(s.now, '王店长')
    s.mon.correctiveAction('Moved milk to F2; called service')
    s.hold(3, 1)
    const [r] = s.mon.takeRecords()
    // 3 °C at 9 min, 6 °C at 10 min: the air crossed 5 °C two thirds of the way between them.
    const crossed = t0 + 9 * minute + 40_000
    expect(r).toEqual({
      unit: 'F1',
      start: crossed,
      end: t0 + 41 * minute,
      peakC: 7,
      durationMin: (t0 + 41 * minute - crossed) / minute,
      degreeMinutes: 52,
      level: 'alarm',
      acknowledgedBy: '王店长',
      acknowledgedAt: t0 + 41 * minute,
      correctiveAction: 'Moved milk to F2; called service',
      closingReadingC: 3,
    })
  })

  it('does not record a short rise that never became a warning', () => {
    const s = new Scenario().hold(6, 10).hold(3, 5)
    expect(s.mon.takeRecords()).toEqual([])
  })
})
