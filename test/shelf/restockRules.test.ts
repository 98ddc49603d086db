import { describe, expect, it } from 'vitest'
import type { ConditionChange } from '../../gateway/contract/conditions.ts'
import type { LaneState } from '../../devices/shelf/lanePipeline.ts'
import type { ShelfEvent } from '../../devices/shelf/events.ts'
import { resolveLane } from '../../devices/shelf/laneConfig.ts'
import { LaneRestockRules } from '../../gateway/rules/shelf/laneRules.ts'
import { T0, milkLane } from './laneFixtures.ts'

const MIN = 60_000

function state(over: Partial<LaneState>): LaneState {
  return { count: 12, stable: true, status: 'counting', weightG: 0, tareG: 100, tareDriftG: 0, lastStableAt: T0, velocityPerMin: 0, rejected: 0, lastReadingAt: T0, ...over }
}

/** Plays (minute offset, state) steps through the lane's rules, 1 s apart in between, and collects changes. */
function play(steps: [number, Partial<LaneState>, ShelfEvent[]?][]): ConditionChange[] {
  const rules = new LaneRestockRules({ shelf: 'A1', lane: resolveLane(milkLane()) })
  const out: ConditionChange[] = []
  for (let i = 0; i < steps.length; i++) {
    const [min, over, events] = steps[i]!
    const next = steps[i + 1]?.[0] ?? min + 1
    out.push(...rules.update(T0 + min * MIN, state(over), events ?? []))
    for (let t = T0 + min * MIN + 1000; t < T0 + next * MIN; t += 1000) out.push(...rules.update(t, state(over)))
  }
  return out
}

/** The alert's open/closed transitions (updates of an open alert with a new count are not transitions). */
const of = (rule: string, changes: ConditionChange[]) =>
  changes.filter((c) => c.rule === rule).map((c) => c.active).filter((a, i, all) => i === 0 || a !== all[i - 1])

describe('restock rules', () => {
  it('raises low stock for milk when the count drops to restockAt (6), with the lane in the message', () => {
    const changes = play([[0, { count: 7 }], [1, { count: 6 }]])
    expect(changes.filter((c) => c.rule === 'shelf.restock.low')).toEqual([
      expect.objectContaining({ active: true, subject: 'shelf/A1/L1', severity: 'warning', area: 'shelves', value: 6, message: { key: 'shelf.low', params: expect.objectContaining({ name: 'milk 250 ml', count: 6, lane: 'L1', shelf: 'A1' }) } }),
    ])
  })

  it('does not flap when customers take and put back the 6th and 7th bottle', () => {
    const changes = play([[0, { count: 7 }], [1, { count: 6 }], [2, { count: 7 }], [3, { count: 6 }], [4, { count: 7 }], [5, { count: 6 }]])
    expect(of('shelf.restock.low', changes)).toEqual([true])
  })

  it('clears low stock only after a restock above restockAt + 1', () => {
    const changes = play([[0, { count: 5 }], [1, { count: 7 }], [2, { count: 8 }]])
    const low = changes.filter((c) => c.rule === 'shelf.restock.low')
    expect(low.map((c) => [c.active, c.value])).toEqual([[true, 5], [true, 7], [false, 8]])
  })

  it('ignores a low count that lasts less than the 5 s confirmation (a miscount corrected at once)', () => {
    const rules = new LaneRestockRules({ shelf: 'A1', lane: resolveLane(milkLane()) })
    const out = [...rules.update(T0, state({ count: 4 })), ...rules.update(T0 + 3000, state({ count: 4 })), ...rules.update(T0 + 4000, state({ count: 12 })), ...rules.update(T0 + 60_000, state({ count: 12 }))]
    expect(out).toEqual([])
  })

  it('raises a critical out-of-stock alert when the lane is empty and clears it when a bottle is back', () => {
    const changes = play([[0, { count: 1 }], [1, { count: 0 }], [3, { count: 1 }]])
    const oos = changes.filter((c) => c.rule === 'shelf.out_of_stock')
    expect(oos.map((c) => [c.active, c.severity])).toEqual([[true, 'critical'], [false, 'critical']])
  })

  it('warns "predicted empty in 20 min" when 10 bottles sell at 0.5 a minute and restocking takes 30 min', () => {
    const changes = play([[0, { count: 10, predictedEmptyAt: T0 + 20 * MIN }]])
    expect(changes.filter((c) => c.rule === 'shelf.predicted_empty')).toEqual([
      expect.objectContaining({ active: true, value: 20, message: { key: 'shelf.predicted_empty', params: expect.objectContaining({ minutes: 20, count: 10 }) } }),
    ])
  })

  it('stays quiet when the lane will last longer than the lead time', () => {
    expect(of('shelf.predicted_empty', play([[0, { count: 10, predictedEmptyAt: T0 + 40 * MIN }]]))).toEqual([])
  })

  it('clears the prediction once sales slow down and the lane would last 1.5 × the lead time', () => {
    const changes = play([[0, { count: 10, predictedEmptyAt: T0 + 20 * MIN }], [2, { count: 10, predictedEmptyAt: T0 + 40 * MIN }], [3, { count: 10, predictedEmptyAt: T0 + 60 * MIN }]])
    expect(of('shelf.predicted_empty', changes)).toEqual([true, false])
  })

  it('raises a misplaced-item alert only after the foreign weight has stayed 30 s', () => {
    const rules = new LaneRestockRules({ shelf: 'A1', lane: resolveLane(milkLane()) })
    const ev: ShelfEvent = { type: 'misplaced', deltaG: 130, weightG: 0, at: T0 }
    const mis = state({ status: 'misplaced', unexplainedG: 130 })
    expect(rules.update(T0, mis, [ev])).toEqual([])
    expect(rules.update(T0 + 29_000, mis)).toEqual([])
    expect(rules.update(T0 + 30_000, mis)).toEqual([expect.objectContaining({ rule: 'shelf.misplaced', active: true, at: T0, value: 130 })])
    expect(rules.update(T0 + 90_000, state({}), [{ type: 'resolved', count: 12, at: T0 + 90_000 }])).toEqual([expect.objectContaining({ rule: 'shelf.misplaced', active: false })])
  })

  it('never alerts for a hand that looked like a foreign item for 10 s', () => {
    const changes = play([[0, { status: 'misplaced', unexplainedG: 140 }, [{ type: 'misplaced', deltaG: 140, weightG: 0, at: T0 }]], [10 / 60, { status: 'counting' }], [5, {}]])
    expect(of('shelf.misplaced', changes)).toEqual([])
  })

  it('suspects the calibration when the empty lane has drifted 80 g from its tare for a minute', () => {
    const changes = play([[0, { count: 0, tareDriftG: 80 }], [3, { count: 0, tareDriftG: 5 }]])
    expect(changes.filter((c) => c.rule === 'shelf.calibration_suspect').map((c) => [c.active, c.value])).toEqual([[true, 80], [false, 5]])
  })

  it('suspects the calibration when the lane reads below empty', () => {
    expect(of('shelf.calibration_suspect', play([[0, { status: 'below_tare', unexplainedG: -150 }], [2, { status: 'below_tare', unexplainedG: -150 }]]))).toEqual([true])
  })
})
