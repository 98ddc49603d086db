/**
 * Trend: is the unit losing the fight, and when will it cross its limit at this rate?
 *
 * A healthy thermostat pulls the air down to its cut-out temperature every compressor cycle; door
 * openings and defrost only ever push the air UP. So the trend follows the lower envelope: the coldest
 * reading of each quarter of the window (each quarter spans at least one compressor cycle), with a
 * least-squares line through those minima. A sawtooth or a busy door gives a flat envelope; a failing
 * compressor that no longer reaches cut-out lifts it. The caller leaves out defrost windows.
 */
import type { ColdLimits } from './limits.ts'

export interface Point {
  t: number
  c: number
}

export interface Line {
  /** °C per minute. */
  slopePerMin: number
  /** Fitted temperature at time t. */
  at(t: number): number
}

const minute = 60_000
export const trendSegments = 4

/** Least-squares line; null for fewer than two distinct times. */
export function fitLine(points: readonly Point[]): Line | null {
  const n = points.length
  if (n < 2) return null
  const t0 = points[0]!.t
  let mx = 0
  let my = 0
  for (const p of points) {
    mx += (p.t - t0) / minute / n
    my += p.c / n
  }
  let sxx = 0
  let sxy = 0
  for (const p of points) {
    const dx = (p.t - t0) / minute - mx
    sxx += dx * dx
    sxy += dx * (p.c - my)
  }
  if (sxx === 0) return null
  const slope = sxy / sxx
  return { slopePerMin: slope, at: (t) => my + slope * ((t - t0) / minute - mx) }
}

/** Coldest point of each of `segments` equal slices of [from, to); null when a slice has fewer than `minPerSegment` points. */
export function lowerEnvelope(points: readonly Point[], from: number, to: number, segments: number, minPerSegment: number): Point[] | null {
  const width = (to - from) / segments
  const mins: Array<Point | null> = new Array(segments).fill(null)
  const counts = new Array<number>(segments).fill(0)
  for (const p of points) {
    if (p.t < from || p.t >= to) continue
    const k = Math.min(segments - 1, Math.floor((p.t - from) / width))
    counts[k]!++
    const m = mins[k]
    if (m === null || m === undefined || p.c < m.c) mins[k] = p
  }
  if (counts.some((n) => n < minPerSegment)) return null
  return mins as Point[]
}

export interface TrendVerdict {
  riseCPerH: number
  fittedC: number
  /** Minutes until the fitted envelope crosses the limit. */
  minutesToLimit: number
}

/**
 * A trend warning holds when the envelope rises steeply enough, is already near the limit (a normal
 * thermostat band sits lower) and is projected to cross the limit within the horizon. Each quarter of
 * the window needs at least a quarter of its expected readings.
 */
export function projectTrend(points: readonly Point[], now: number, limits: ColdLimits, intervalMs: number): TrendVerdict | null {
  const windowMs = limits.trendWindowMin * minute
  const minPerSegment = Math.max(1, Math.floor(windowMs / trendSegments / intervalMs / 4))
  const env = lowerEnvelope(points, now - windowMs, now + 1, trendSegments, minPerSegment)
  if (env === null) return null
  const line = fitLine(env)
  if (line === null) return null
  const riseCPerH = line.slopePerMin * 60
  const fittedC = line.at(now)
  if (riseCPerH < limits.trendMinRiseCPerH) return null
  if (fittedC < limits.maxC - limits.trendBandC || fittedC >= limits.maxC) return null
  const minutesToLimit = (limits.maxC - fittedC) / line.slopePerMin
  if (minutesToLimit > limits.trendHorizonMin) return null
  return { riseCPerH, fittedC, minutesToLimit }
}
