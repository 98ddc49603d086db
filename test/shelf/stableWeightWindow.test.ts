import { expect, it } from 'vitest'
import { StableWeightDetector } from '../../devices/shelf/stableWeight.ts'
import { seededRandom } from '../../firmware-sim/random.ts'

/** The definition, written plainly: every sample of the last window within the band. */
function reference(bandG: number, windowMs: number, minSamples: number) {
  const samples: { ts: number; g: number }[] = []
  return (ts: number, g: number) => {
    samples.push({ ts, g })
    while (samples.length > 1 && (samples[0] as { ts: number }).ts < ts - windowMs) samples.shift()
    if (samples.length < minSamples || ts - (samples[0] as { ts: number }).ts < windowMs * 0.75) return undefined
    const gs = samples.map((s) => s.g)
    const min = Math.min(...gs)
    const max = Math.max(...gs)
    if (max - min > bandG) return undefined
    return { weightG: gs.reduce((a, b) => a + b, 0) / gs.length, spreadG: max - min, since: (samples[0] as { ts: number }).ts }
  }
}

it('agrees with the plain definition of a stable window over hours of an 80 Hz board with picks, hands and jitter', () => {
  const rand = seededRandom(7)
  const detector = new StableWeightDetector({ bandG: 3, windowMs: 1500 })
  const plain = reference(3, 1500, 3)
  let ts = 1_700_000_000_000
  let weight = 5000
  let stable = 0
  for (let i = 0; i < 200_000; i++) {
    ts += 8 + Math.floor(rand() * 10) // 80–125 Hz with jitter
    if (rand() < 0.001) weight -= 262 // a pick
    const g = weight + (rand() < 0.01 ? 400 * rand() : (rand() - 0.5) * 2) // a hand now and then, noise always
    const got = detector.push(ts, g)
    const want = plain(ts, g)
    if (want === undefined) expect(got).toBeUndefined()
    else {
      stable++
      expect(got?.since).toBe(want.since)
      expect(got?.spreadG).toBe(want.spreadG)
      expect(got?.weightG).toBeCloseTo(want.weightG, 6)
    }
  }
  expect(stable).toBeGreaterThan(10_000)
})
