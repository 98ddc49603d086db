import { describe, expect, it } from 'vitest'
import { Scenario } from './scenario.ts'

describe('sensor health', () => {
  it('reports the sensor offline after 3 missed readings and back online at the next one', () => {
    // Last reading at 4 min; readings due at 5, 6 and 7 min never come.
    const s = new Scenario().hold(3, 5).silence(2)
    expect(s.raised('cold.sensor.offline')).toHaveLength(0)
    s.silence(1)
    expect(s.firstRaisedMin('cold.sensor.offline')).toBe(8)
    s.temp(3)
    expect(s.cleared('cold.sensor.offline')).toHaveLength(1)
  })

  it('reports a sensor that never sends anything as offline', () => {
    const s = new Scenario().silence(4)
    expect(s.raised('cold.sensor.offline')).toHaveLength(1)
  })

  it('ignores a single DS18B20 85 °C glitch without alerting anyone', () => {
    const s = new Scenario().hold(3, 5).temp(85).hold(3, 5)
    expect(s.activeRules).toEqual([])
    expect(s.mon.status(s.now).untrustedReadings).toBe(1)
  })

  it('flags a jumping sensor (loose contact) and keeps its readings out of the excursion logic', () => {
    const s = new Scenario().hold(3, 5)
    for (let i = 0; i < 20; i++) s.temp(25).temp(3)
    expect(s.raised('cold.sensor.suspect')[0]?.message.params['reason']).toBe('jump')
    expect(s.raised('cold.excursion.alarm')).toHaveLength(0)
  })

  it('flags readings outside the sensor range as impossible', () => {
    const s = new Scenario().hold(3, 5).hold(-127, 2)
    expect(s.raised('cold.sensor.suspect')[0]?.message.params['reason']).toBe('range')
  })

  it('flags a flat-lined sensor after 60 minutes of identical readings', () => {
    const s = new Scenario().ramp(2, 4, 10).hold(3.1, 59)
    expect(s.raised('cold.sensor.suspect')).toHaveLength(0)
    s.hold(3.1, 2)
    expect(s.raised('cold.sensor.suspect')[0]?.message.params['reason']).toBe('stuck')
  })

  it('trusts the sensor again after three believable readings', () => {
    const s = new Scenario().hold(3, 5).hold(85, 2).hold(3, 3)
    expect(s.cleared('cold.sensor.suspect')).toHaveLength(1)
  })
})
