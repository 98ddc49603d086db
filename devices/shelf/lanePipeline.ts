/**
 * One lane, from readings to shelf events:
 *
 *   raw counts ─calibration─▶ grams ─moving median─▶ filtered ─stable window─▶ stable weight
 *     ─(− tare) / unit weight, within tolerance─▶ count ─change between stable counts─▶ pick / put
 *
 * Pure: it owns no timer and reads no clock; time is the readings' `ts`. Feed it readings in order.
 */
import type { ShelfWeightReading } from '../../gateway/contract/readings.ts'
import { rawToGrams } from './calibration.ts'
import { countFromWeight } from './countFromWeight.ts'
import type { LaneStatus, ShelfEvent } from './events.ts'
import { resolveLane } from './laneConfig.ts'
import type { LaneConfig, ResolvedLane } from './laneConfig.ts'
import { MovingMedian } from './medianFilter.ts'
import { SalesVelocity } from './salesVelocity.ts'
import type { VelocityOptions } from './salesVelocity.ts'
import { StableWeightDetector } from './stableWeight.ts'
import { TareTracker } from './tareTracker.ts'
import type { TareOptions } from './tareTracker.ts'

/** Units from whole below which an absolute count may override a misplaced lane's own reference. */
const RESYNC_UNITS = 0.15

export interface LaneState {
  /** Items on the lane, or null until the first stable weight. Kept while the lane is misplaced. */
  count: number | null
  stable: boolean
  status: LaneStatus
  /** Latest filtered weight (g), tare included. */
  weightG: number | null
  tareG: number
  /** How far the tracked tare has moved from the configured one (g). */
  tareDriftG: number
  lastStableAt: number | null
  /** While misplaced: grams beyond the whole count. While below tare: how far below (negative). */
  unexplainedG?: number
  /** Picks per minute lately (exponentially weighted). */
  velocityPerMin: number
  predictedEmptyAt?: number
  /** Readings refused (no usable value, raw without calibration, out of order). */
  rejected: number
  lastReadingAt: number | null
}

export interface PipelineOptions {
  velocity?: VelocityOptions
  tare?: TareOptions
}

/** The subset of a reading the pipeline needs; a ShelfWeightReading fits. */
export type WeightSample = Pick<ShelfWeightReading, 'ts' | 'g' | 'raw'>

export class LanePipeline {
  readonly lane: ResolvedLane
  readonly #median: MovingMedian
  readonly #stable: StableWeightDetector
  readonly #tare: TareTracker
  readonly #velocity: SalesVelocity
  #count: number | null = null
  #status: LaneStatus = 'starting'
  #isStable = false
  #weightG: number | null = null
  #lastStableAt: number | null = null
  #lastTs: number | null = null
  /** Stable weight at which the lane last held exactly `count` items and nothing else. */
  #baseG: number | null = null
  /** Latest stable weight while misplaced, to count picks around a foreign item. */
  #refG: number | null = null
  #unexplainedG: number | undefined
  #rejected = 0
  #prediction: { count: number; slot: number; at: number | undefined } | undefined

  constructor(lane: LaneConfig | ResolvedLane, opts: PipelineOptions = {}) {
    this.lane = isResolved(lane) ? lane : resolveLane(lane)
    this.#median = new MovingMedian(this.lane.medianWindow)
    this.#stable = new StableWeightDetector({ bandG: this.lane.stableBandG, windowMs: this.lane.stableWindowMs })
    this.#tare = new TareTracker(this.lane.tareG, opts.tare)
    this.#velocity = new SalesVelocity(opts.velocity)
  }

  push(r: WeightSample): ShelfEvent[] {
    const g = this.#grams(r)
    if (g === undefined || !Number.isFinite(r.ts) || (this.#lastTs !== null && r.ts < this.#lastTs)) {
      this.#rejected++
      return []
    }
    this.#lastTs = r.ts
    this.#velocity.observe(r.ts)
    const filtered = this.#median.push(g)
    this.#weightG = filtered
    const stable = this.#stable.push(r.ts, filtered)
    this.#isStable = stable !== undefined
    if (!stable) return []
    this.#lastStableAt = r.ts
    return this.#onStable(r.ts, stable.weightG)
  }

  state(): LaneState {
    const s: LaneState = {
      count: this.#count,
      stable: this.#isStable,
      status: this.#status,
      weightG: this.#weightG,
      tareG: this.#tare.tareG,
      tareDriftG: this.#tare.driftG,
      lastStableAt: this.#lastStableAt,
      velocityPerMin: this.#lastTs === null ? 0 : this.#velocity.recentRatePerMin(this.#lastTs),
      rejected: this.#rejected,
      lastReadingAt: this.#lastTs,
    }
    if (this.#unexplainedG !== undefined) s.unexplainedG = this.#unexplainedG
    const predicted = this.#predictEmpty()
    if (predicted !== undefined) s.predictedEmptyAt = predicted
    return s
  }

  #grams(r: WeightSample): number | undefined {
    if (typeof r.g === 'number' && Number.isFinite(r.g)) return r.g
    if (typeof r.raw === 'number' && Number.isFinite(r.raw) && this.lane.calibration) return rawToGrams(r.raw, this.lane.calibration)
    return undefined
  }

  /**
   * Counting works on changes: the step from the last stable weight that matched the count must be a
   * whole number of items. Real items differ from their label by a few percent, so 30 eggs may weigh
   * half an egg more than 30 × label; the step from 30 to 29 is still one egg. The absolute formula
   * (weight − tare) / unitWeight sets the first count, and the count after a below-tare spell.
   */
  #onStable(at: number, w: number): ShelfEvent[] {
    const { unitWeight, tolerance } = this.lane
    const net = w - this.#tare.tareG
    if (net < -tolerance * unitWeight) return this.#belowTare(at, w, net)
    if (this.#count === null || this.#baseG === null || this.#status === 'below_tare') {
      const fit = countFromWeight(net, unitWeight, tolerance)
      if (fit.ok) return this.#settle(at, w, fit.count)
      return this.#misplaced(at, w, net - Math.max(0, fit.nearest) * unitWeight)
    }
    const step = countFromWeight(w - this.#baseG, unitWeight, tolerance)
    if (step.ok && this.#count + step.count >= 0) return this.#settle(at, w, this.#count + step.count)
    if (this.#status !== 'misplaced' || this.#refG === null) return this.#misplaced(at, w, w - this.#baseG)
    // Way out when the reference itself was wrong (a hand resting on the shelf looked stable and was
    // counted): the absolute formula, trusted only when it is much closer than the tolerance to whole.
    const absolute = countFromWeight(net, unitWeight, RESYNC_UNITS)
    if (absolute.ok && absolute.count >= 0) return this.#settle(at, w, absolute.count)
    // A foreign item stays on the lane; customers may still take or return products around it.
    const inner = countFromWeight(w - this.#refG, unitWeight, tolerance)
    this.#refG = w
    let events: ShelfEvent[] = []
    if (inner.ok && inner.count !== 0 && this.#count + inner.count >= 0) {
      events = this.#change(at, inner.count)
      this.#count += inner.count
      this.#baseG += inner.count * unitWeight
    }
    this.#unexplainedG = w - this.#baseG
    return events
  }

  /** The weight is a whole count: the normal case, and the way out of misplaced / below tare. */
  #settle(at: number, w: number, count: number): ShelfEvent[] {
    const events: ShelfEvent[] = []
    if (this.#count === null) events.push({ type: 'count', count, weightG: w, at })
    else events.push(...this.#change(at, count - this.#count))
    this.#count = count
    if (this.#status === 'misplaced' || this.#status === 'below_tare') events.push({ type: 'resolved', count, at })
    this.#status = 'counting'
    this.#unexplainedG = undefined
    this.#baseG = w // follows slow drift while nothing changes
    this.#refG = w
    if (count === 0) this.#tare.observeEmpty(at, w)
    else this.#tare.pause()
    return events
  }

  #belowTare(at: number, w: number, net: number): ShelfEvent[] {
    this.#tare.pause()
    this.#unexplainedG = net
    if (this.#status === 'below_tare') return []
    this.#status = 'below_tare'
    return [{ type: 'below_tare', deltaG: net, weightG: w, at }]
  }

  /** Entering misplaced: report it once; the rule decides whether it lasts long enough to alert. */
  #misplaced(at: number, w: number, deltaG: number): ShelfEvent[] {
    this.#tare.pause()
    const already = this.#status === 'misplaced'
    this.#status = 'misplaced'
    this.#refG = w
    this.#unexplainedG = deltaG
    if (already) return []
    return [{ type: 'misplaced', deltaG, weightG: w, at }]
  }

  #change(at: number, delta: number): ShelfEvent[] {
    if (delta === 0 || this.#count === null) return []
    const count = this.#count + delta
    if (delta < 0) {
      this.#velocity.recordPick(at, -delta)
      return [{ type: 'pick', qty: -delta, count, at }]
    }
    return [{ type: 'put', qty: delta, count, at }]
  }

  #predictEmpty(): number | undefined {
    if (this.#count === null || this.#lastTs === null) return undefined
    // Recompute at most every 15 s per count: the rules ask on every reading.
    const slot = Math.floor(this.#lastTs / 15_000)
    const p = this.#prediction
    if (p !== undefined && p.count === this.#count && p.slot === slot) return p.at
    this.#prediction = { count: this.#count, slot, at: this.#velocity.predictEmptyAt(this.#lastTs, this.#count) }
    return this.#prediction.at
  }
}

function isResolved(l: LaneConfig | ResolvedLane): l is ResolvedLane {
  return typeof (l as ResolvedLane).tolerance === 'number' && typeof (l as ResolvedLane).stableBandG === 'number' && typeof (l as ResolvedLane).medianWindow === 'number' && typeof (l as ResolvedLane).tareG === 'number' && typeof (l as ResolvedLane).stableWindowMs === 'number' && typeof l.sku === 'string'
}
