import { describe, expect, it } from 'vitest'
import { SalesVelocity } from '../../devices/shelf/salesVelocity.ts'
import { Bench, T0, items } from './laneFixtures.ts'

const MIN = 60_000
const HOUR = 60 * MIN

describe('sales velocity and predicted empty', () => {
  it('estimates about 0.5 bottles a minute from a pick every 2 minutes for an hour', () => {
    const v = new SalesVelocity({ tauMs: 30 * MIN })
    v.observe(T0)
    for (let m = 2; m <= 60; m += 2) v.recordPick(T0 + m * MIN, 1)
    expect(v.recentRatePerMin(T0 + 60 * MIN)).toBeGreaterThan(0.4)
    expect(v.recentRatePerMin(T0 + 60 * MIN)).toBeLessThan(0.6)
  })

  it('predicts 10 bottles at 0.5 a minute to be gone in about 20 minutes', () => {
    const v = new SalesVelocity({ tauMs: 30 * MIN })
    v.observe(T0)
    for (let m = 2; m <= 60; m += 2) v.recordPick(T0 + m * MIN, 1)
    const at = v.predictEmptyAt(T0 + 60 * MIN, 10)!
    expect((at - (T0 + 60 * MIN)) / MIN).toBeGreaterThan(16)
    expect((at - (T0 + 60 * MIN)) / MIN).toBeLessThan(25)
  })

  it('does not read "60 an hour" into a single pick in the first minute', () => {
    const v = new SalesVelocity()
    v.observe(T0)
    v.recordPick(T0 + MIN, 1)
    expect(v.recentRatePerMin(T0 + MIN)).toBeLessThan(0.1)
    expect(v.predictEmptyAt(T0 + MIN, 20)! - T0).toBeGreaterThan(3 * HOUR)
  })

  it('expects the breakfast rush: after two days it predicts 6 bottles at 07:30 are gone in the 08:00 hour, not at the quiet pace of 1 an hour', () => {
    // Local time = UTC here. Two days: 12 picks between 08:00 and 09:00, 1 an hour otherwise.
    const day0 = Date.UTC(2026, 2, 2)
    const v = new SalesVelocity({ utcOffsetMin: 0 })
    const now = day0 + 2 * 24 * HOUR + 7.5 * HOUR
    for (let h = 0; h < 2 * 24 + 7; h++) {
      const n = h % 24 === 8 ? 12 : 1
      for (let i = 0; i < n; i++) v.recordPick(day0 + h * HOUR + ((i + 0.5) * HOUR) / n, 1)
    }
    v.observe(now)
    expect(v.hasProfile).toBe(true)
    const at = v.predictEmptyAt(now, 6)!
    const hour = new Date(at).getUTCHours()
    expect(hour).toBe(8)
  })

  it('puts the predicted empty time into the lane state after a run of picks', () => {
    const b = new Bench(undefined, {}, T0)
    let n = 20
    b.hold(items(n), 4000)
    for (let m = 0; m < 40; m++) {
      b.hold(items(n), MIN - 6000)
      n -= m % 3 === 0 ? 1 : 0
      b.hand(items(n, 100), 1000)
      b.hold(items(n), 5000)
    }
    const s = b.p.state()
    expect(s.count).toBe(n)
    expect(s.predictedEmptyAt).toBeGreaterThan(b.t)
    expect(s.velocityPerMin).toBeGreaterThan(0.1)
  })
})
