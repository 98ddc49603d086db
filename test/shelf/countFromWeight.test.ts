import { describe, expect, it } from 'vitest'
import { countFromWeight } from '../../devices/shelf/countFromWeight.ts'
import { Bench, MILK, items } from './laneFixtures.ts'

describe('counting items from a stable weight', () => {
  it('counts 5 bottles of milk when the net weight is 5 × 262 g + 0.34 unit', () => {
    expect(countFromWeight(5 * MILK + 0.34 * MILK, MILK, 0.35)).toMatchObject({ ok: true, count: 5 })
  })

  it('counts 5 bottles of milk when the net weight is 5 × 262 g − 0.34 unit', () => {
    expect(countFromWeight(5 * MILK - 0.34 * MILK, MILK, 0.35)).toMatchObject({ ok: true, count: 5 })
  })

  it('refuses to count when the net weight is 0.36 unit away from a whole bottle', () => {
    expect(countFromWeight(5 * MILK + 0.36 * MILK, MILK, 0.35)).toMatchObject({ ok: false, nearest: 5 })
    expect(countFromWeight(5 * MILK - 0.36 * MILK, MILK, 0.35)).toMatchObject({ ok: false, nearest: 5 })
  })

  it('follows a tighter tolerance when the lane is configured with one', () => {
    expect(countFromWeight(5.2 * MILK, MILK, 0.15).ok).toBe(false)
  })

  it('reports the first stable count of a lane that starts with 5 bottles, 0.34 unit heavy', () => {
    const b = new Bench()
    expect(b.hold(items(5, 0.34 * MILK), 4000)).toEqual([expect.objectContaining({ type: 'count', count: 5 })])
    expect(b.p.state()).toMatchObject({ count: 5, status: 'counting', stable: true })
  })

  it('reports a misplaced item instead of a count when a lane starts 0.36 unit off a whole bottle', () => {
    const b = new Bench()
    expect(b.hold(items(5, 0.36 * MILK), 4000)).toEqual([expect.objectContaining({ type: 'misplaced' })])
    expect(b.p.state()).toMatchObject({ count: null, status: 'misplaced' })
  })
})
