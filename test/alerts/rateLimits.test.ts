import { describe, expect, it } from 'vitest'
import { backoffDelay } from '../../gateway/alerts/delivery/backoff.ts'
import { SlidingWindow, TokenBucket } from '../../gateway/alerts/delivery/rateLimit.ts'

describe('rate limits and backoff', () => {
  it('never lets more than 20 sends into any 60-second window, even at the start', () => {
    const w = new SlidingWindow(20, 60_000)
    const sent: number[] = []
    for (let t = 0; t < 5 * 60_000; t += 500) {
      if (w.nextFreeAt(t) <= t) {
        w.take(t)
        sent.push(t)
      }
    }
    for (const t of sent) expect(sent.filter((s) => s >= t && s < t + 60_000).length).toBeLessThanOrEqual(20)
    expect(sent.length).toBe(100)
  })

  it('lets ntfy burst 60 and then one every 5 seconds', () => {
    const b = new TokenBucket(60, 5_000)
    for (let i = 0; i < 60; i++) b.take(0)
    expect(b.available(0)).toBe(0)
    expect(b.nextFreeAt(0)).toBe(5_000)
    expect(b.available(4_999)).toBe(0)
    expect(b.available(5_000)).toBe(1)
  })

  it('doubles the retry delay up to 10 minutes, with jitter between half and the full delay', () => {
    const cfg = { baseMs: 5_000, maxMs: 600_000 }
    expect([1, 2, 3].map((a) => backoffDelay(a, cfg, () => 0))).toEqual([2_500, 5_000, 10_000])
    expect([1, 2, 3].map((a) => backoffDelay(a, cfg, () => 0.999999))).toEqual([5_000, 10_000, 20_000])
    expect(backoffDelay(30, cfg, () => 0)).toBe(300_000)
  })
})
