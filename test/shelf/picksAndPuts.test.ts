import { describe, expect, it } from 'vitest'
import { Bench, MILK, items, milkLane } from './laneFixtures.ts'

const moves = (b: Bench) => b.events.filter((e) => e.type === 'pick' || e.type === 'put')

describe('picks and puts from changes between stable weights', () => {
  it.each([1, 2, 3])('reports one pick of %i bottle(s) when a customer takes them with a hand resting on the shelf', (qty) => {
    const b = new Bench()
    b.hold(items(12), 4000)
    b.hand(items(12, 150), 1000) // hand presses before lifting
    b.hand(items(12 - qty, 80), 1000)
    b.hold(items(12 - qty), 4000)
    expect(moves(b)).toEqual([expect.objectContaining({ type: 'pick', qty, count: 12 - qty })])
  })

  it.each([1, 2, 3])('reports one put of %i bottle(s) when a customer puts them back', (qty) => {
    const b = new Bench()
    b.hold(items(10), 4000)
    b.hand(items(10 + qty, 200), 1500)
    b.hold(items(10 + qty), 4000)
    expect(moves(b)).toEqual([expect.objectContaining({ type: 'put', qty, count: 10 + qty })])
  })

  it('reports nothing when a customer only leans on the shelf for 2 s', () => {
    const b = new Bench()
    b.hold(items(8), 4000)
    b.hand(items(8, 300), 2000)
    b.hold(items(8), 4000)
    expect(b.events.map((e) => e.type)).toEqual(['count'])
  })

  it('reports nothing for a single-sample spike of 3 kg from a noisy supply', () => {
    const b = new Bench()
    b.hold(items(8), 4000)
    b.p.push({ ts: b.t, g: items(8) + 3000 })
    b.t += 500
    b.hold(items(8), 4000)
    expect(b.events.map((e) => e.type)).toEqual(['count'])
  })

  it('counts a pick of 1 even when the bottles together weigh 0.3 unit more than their labels', () => {
    const b = new Bench()
    b.hold(items(20, 0.3 * MILK), 4000)
    b.hand(items(19, 0.3 * MILK + 100), 1000)
    b.hold(items(19, 0.3 * MILK), 4000)
    expect(moves(b)).toEqual([expect.objectContaining({ type: 'pick', qty: 1, count: 19 })])
  })

  it('stays stable-less while the weight keeps wavering, and counts once it settles', () => {
    const b = new Bench()
    b.hold(items(6), 4000)
    expect(b.hand(items(5), 6000, 60)).toEqual([])
    expect(b.p.state().stable).toBe(false)
    expect(b.hold(items(5), 4000)).toEqual([expect.objectContaining({ type: 'pick', qty: 1 })])
  })

  it('counts from raw ADC counts with the lane calibration', () => {
    const cal = { zeroCounts: -50_000, countsPerGram: 431.7 }
    const b = new Bench(milkLane({ calibration: cal }))
    const raw = (g: number) => Math.round(cal.zeroCounts + g * cal.countsPerGram)
    for (let i = 0; i < 8; i++, b.t += 500) b.events.push(...b.p.push({ ts: b.t, raw: raw(items(3)) }))
    expect(b.events).toEqual([expect.objectContaining({ type: 'count', count: 3 })])
  })

  it('counts readings it cannot use (raw without calibration, out of order) instead of throwing', () => {
    const b = new Bench()
    b.hold(items(3), 2000)
    expect(b.p.push({ ts: b.t, raw: 123 })).toEqual([])
    expect(b.p.push({ ts: b.t - 10_000, g: items(3) })).toEqual([])
    expect(b.p.state().rejected).toBe(2)
  })
})
