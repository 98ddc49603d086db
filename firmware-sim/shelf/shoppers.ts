/**
 * When customers reach for a lane: a non-homogeneous Poisson process over the store's local day,
 * with breakfast, lunch and after-work peaks; the store is closed 23:00–07:00.
 */
import type { Prng } from './prng.ts'

/** Relative traffic per local hour (1.0 = an ordinary busy hour). */
export const hourlyTraffic: readonly number[] = [
  0, 0, 0, 0, 0, 0, 0, 0.6, 1.2, 0.8, 0.6, 0.9, 1.3, 0.8, 0.5, 0.5, 0.7, 1.1, 1.4, 1.0, 0.8, 0.6, 0.4, 0,
]
const PEAK = Math.max(...hourlyTraffic)
const HOUR = 3_600_000

export function localHour(t: number, utcOffsetMin: number): number {
  return ((Math.floor((t + utcOffsetMin * 60_000) / HOUR) % 24) + 24) % 24
}

export function isOpen(t: number, utcOffsetMin: number): boolean {
  return (hourlyTraffic[localHour(t, utcOffsetMin)] as number) > 0
}

/** Next arrival after `t` for a lane with `perHour` arrivals in a 1.0 hour (thinning). */
export function nextArrival(rng: Prng, t: number, perHour: number, utcOffsetMin: number): number {
  const maxPerMs = (perHour * PEAK) / HOUR
  let at = t
  for (let i = 0; i < 100_000; i++) {
    at += rng.exp(1 / maxPerMs)
    const w = hourlyTraffic[localHour(at, utcOffsetMin)] as number
    if (rng.next() < w / PEAK) return at
  }
  return at
}

/** The next opening time at or after t (for staff work that waits for the morning). */
export function nextOpening(t: number, utcOffsetMin: number): number {
  let at = t
  while (!isOpen(at, utcOffsetMin)) at = (Math.floor((at + utcOffsetMin * 60_000) / HOUR) + 1) * HOUR - utcOffsetMin * 60_000
  return at
}
