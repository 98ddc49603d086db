import { describe, expect, it } from 'vitest'
import { Bench, MILK, TARE, items } from './laneFixtures.ts'

describe('misplaced items', () => {
  it('reports a misplaced item when a customer leaves a 130 g yogurt on the milk lane', () => {
    const b = new Bench()
    b.hold(items(10), 4000)
    b.hand(items(10, 230), 1000)
    expect(b.hold(items(10, 130), 4000)).toEqual([expect.objectContaining({ type: 'misplaced', deltaG: expect.closeTo(130, 0) })])
    expect(b.p.state()).toMatchObject({ status: 'misplaced', count: 10, unexplainedG: expect.closeTo(130, 0) })
  })

  it('keeps counting picks around the foreign item and resolves when staff remove it', () => {
    const b = new Bench()
    b.hold(items(10), 4000)
    b.hold(items(10, 130), 4000)
    b.hand(items(8, 230), 1000)
    expect(b.hold(items(8, 130), 4000)).toEqual([expect.objectContaining({ type: 'pick', qty: 2, count: 8 })])
    b.hand(items(8, 50), 1000)
    expect(b.hold(items(8), 4000)).toEqual([expect.objectContaining({ type: 'resolved', count: 8 })])
  })

  it('reports below tare, not misplaced, when the lane reads 0.5 unit less than empty', () => {
    const b = new Bench()
    b.hold(items(0), 4000)
    expect(b.hold(TARE - 0.5 * MILK, 4000)).toEqual([expect.objectContaining({ type: 'below_tare' })])
    expect(b.p.state().status).toBe('below_tare')
  })
})

describe('tare drift', () => {
  it('follows a slow 12 g drift of the empty lane and still counts the first bottle put back', () => {
    const b = new Bench()
    // Four hours of an empty lane creeping up by 3 g an hour.
    for (let h = 0; h < 4 * 60; h++) b.hold(TARE + (12 * h) / 240, 60_000)
    expect(b.p.state().tareG).toBeCloseTo(TARE + 12, 0)
    expect(b.p.state().tareDriftG).toBeCloseTo(12, 0)
    b.hold(TARE + 12 + MILK, 4000)
    expect(b.events.filter((e) => e.type !== 'count')).toEqual([expect.objectContaining({ type: 'put', qty: 1, count: 1 })])
  })

  it('does not move the tare while items are on the lane', () => {
    const b = new Bench()
    for (let h = 0; h < 60; h++) b.hold(items(4, (12 * h) / 60), 60_000)
    expect(b.p.state().tareG).toBe(TARE)
  })
})
