import { describe, expect, it } from 'vitest'
import { SimLane } from '../../firmware-sim/shelf/laneModel.ts'
import type { SimLaneConfig } from '../../firmware-sim/shelf/laneModel.ts'
import { Prng } from '../../firmware-sim/shelf/prng.ts'
import { LanePipeline } from '../../devices/shelf/lanePipeline.ts'
import type { ShelfEvent } from '../../devices/shelf/events.ts'
import { scoreLane } from '../../firmware-sim/shelf/accuracy.ts'

const DAY0 = Date.UTC(2026, 2, 2) - 8 * 3_600_000 // 00:00 in Shanghai
const cfg: SimLaneConfig = {
  shelf: 'A1', lane: 'L1', unitWeight: 262, capacity: 16, restockAt: 4, tareG: 150,
  sensor: { zeroCounts: 12_000, countsPerGram: 420 }, arrivalsPerHour: 2, misplacedPerDay: 2, utcOffsetMin: 480,
}

function run(seed: number, hours: number): { lane: SimLane; raws: number[] } {
  const lane = new SimLane(cfg, seed)
  const raws: number[] = []
  for (let t = DAY0; t < DAY0 + hours * 3_600_000; t += 500) raws.push(lane.tick(t).raw)
  return { lane, raws }
}

describe('simulated shelf lane', () => {
  it('replays the same readings and the same ground truth for the same seed', () => {
    const a = run(42, 12)
    const b = run(42, 12)
    expect(b.raws).toEqual(a.raws)
    expect(b.lane.truth).toEqual(a.lane.truth)
    expect(run(43, 12).raws).not.toEqual(a.raws)
  })

  it('has customers only while the store is open (07:00–23:00)', () => {
    const { lane } = run(7, 24)
    const hours = lane.truth.filter((e) => e.type !== 'restock').map((e) => new Date(e.at + 8 * 3_600_000).getUTCHours())
    expect(hours.length).toBeGreaterThan(10)
    expect(hours.every((h) => h >= 7 && h < 23)).toBe(true)
  })

  it('keeps its ground-truth count consistent with the picks, puts and restocks it logs', () => {
    const { lane } = run(3, 24)
    let count = cfg.capacity
    for (const e of lane.truth) {
      if (e.type === 'pick') count -= e.qty
      if (e.type === 'put' || e.type === 'restock') count += e.qty
      if (e.type === 'pick' || e.type === 'put' || e.type === 'restock') expect(e.count).toBe(count)
    }
    expect(lane.count).toBe(count)
  })

  it('produces HX711-like raw counts: the lowest 8 bits change even when nothing happens', () => {
    const lane = new SimLane({ ...cfg, arrivalsPerHour: 0.0001 }, 5)
    const lows = new Set<number>()
    for (let i = 0; i < 50; i++) lows.add(lane.tick(DAY0 + i * 500).raw & 0xff)
    expect(lows.size).toBeGreaterThan(30)
  })

  it('is counted exactly by the lane pipeline for a whole day of shoppers', () => {
    const lane = new SimLane({ ...cfg, misplacedPerDay: 0 }, 11)
    const p = new LanePipeline({ id: 'L1', sku: '1', name: 'milk', unitWeight: 262, capacity: 16, restockAt: 4, leadTimeMin: 30, tareG: 150, calibration: cfg.sensor })
    const detected: ShelfEvent[] = []
    for (let t = DAY0; t < DAY0 + 86_400_000; t += 500) detected.push(...p.push({ ts: t, raw: lane.tick(t).raw }))
    const s = scoreLane(lane.truth, detected, [], 4, 16)
    expect(s.pickPut).toBeGreaterThan(20)
    expect(s.pickPutExact).toBe(s.pickPut)
    expect(s.spurious).toBe(0)
  })

  it('draws the same numbers from the same seed', () => {
    const a = new Prng(9)
    const b = new Prng(9)
    expect([a.next(), a.normal(), a.int(1, 3)]).toEqual([b.next(), b.normal(), b.int(1, 3)])
  })
})
