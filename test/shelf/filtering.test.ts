import { describe, expect, it } from 'vitest'
import { MovingMedian } from '../../devices/shelf/medianFilter.ts'
import { StableWeightDetector } from '../../devices/shelf/stableWeight.ts'
import { rawToGrams, calibrateTwoPoint } from '../../devices/shelf/calibration.ts'

describe('noise filtering and stable weight', () => {
  it('ignores a two-sample spike of 3 kg with a 5-sample moving median', () => {
    const m = new MovingMedian(5)
    for (const x of [1000, 1001, 999, 1000, 1001]) m.push(x)
    const out = [4000, 4000, 999, 1000, 1001].map((x) => m.push(x))
    expect(Math.max(...out)).toBeLessThan(1002)
  })

  it('follows a real step once more than half the window has moved', () => {
    const m = new MovingMedian(5)
    const out = [1000, 1000, 1000, 738, 738, 738].map((x) => m.push(x))
    expect(out.at(-1)).toBe(738)
    expect(out[4]).toBe(1000)
  })

  it('calls the weight stable only after the whole window stays within the band', () => {
    const d = new StableWeightDetector({ bandG: 5, windowMs: 2000 })
    expect(d.push(0, 500)).toBeUndefined()
    expect(d.push(500, 501)).toBeUndefined()
    expect(d.push(1000, 502)).toBeUndefined()
    expect(d.push(1500, 501)?.weightG).toBeCloseTo(501, 5)
  })

  it('does not call a wavering weight stable', () => {
    const d = new StableWeightDetector({ bandG: 5, windowMs: 2000 })
    const results = [500, 507, 500, 507, 500, 507].map((g, i) => d.push(i * 500, g))
    expect(results.every((r) => r === undefined)).toBe(true)
  })

  it('turns raw counts into grams with a reversed load cell (negative counts per gram)', () => {
    expect(rawToGrams(100_000 - 262 * 420, { zeroCounts: 100_000, countsPerGram: -420 })).toBeCloseTo(262, 9)
  })

  it('derives the calibration from an empty reading and a known weight', () => {
    expect(calibrateTwoPoint(8_000, 8_000 + 1000 * 430, 1000)).toEqual({ zeroCounts: 8_000, countsPerGram: 430 })
    expect(calibrateTwoPoint(8_000, 8_000, 1000)).toBeUndefined()
  })
})
