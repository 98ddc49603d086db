/**
 * One configured lane as the gateway runs it: the pure LanePipeline and its restock rules, plus what
 * the gateway adds around them — the view the staff page reads, the retained state payload, and a
 * snapshot for restart recovery. Pure: time comes from readings and from `now` arguments.
 *
 * Restart: the pipeline cannot be seeded, and after a restart it sets its first count with the
 * absolute formula (weight − tare) / unit weight. Real items differ from their label weight, so that
 * can disagree with the step-counted count from before the restart. The tracker therefore measures
 * the first stable weight after a restart against the snapshot's stable weight: a whole-item step
 * gives the true count (and a pick / put for what changed while the gateway was down), and the
 * difference to the pipeline's own count is kept as an offset until the pipeline recounts from
 * scratch (after a below-tare spell).
 */
import type { ConditionChange } from '../contract/conditions.ts'
import type { ShelfWeightReading } from '../contract/readings.ts'
import type { LaneView } from '../core/apis.ts'
import type { ShelfEvent } from '../../devices/shelf/events.ts'
import { countFromWeight } from '../../devices/shelf/countFromWeight.ts'
import { resolveLane, type ResolvedLane } from '../../devices/shelf/laneConfig.ts'
import { LanePipeline, type LaneState, type PipelineOptions } from '../../devices/shelf/lanePipeline.ts'
import { LaneRestockRules, type LaneRulesOptions } from '../rules/shelf/laneRules.ts'
import type { LaneConfig as StoreLaneConfig, ShelfConfig } from '../config/schema.ts'

/** What latest_state keeps per lane (key `shelf/{shelf}/{lane}`). */
export interface LaneSnapshot {
  v: 1
  count: number | null
  /** Stable weight (g) at which the lane last held `count` items. */
  stableWeightG: number | null
  lastReadingAt: number | null
  /** Rules active when the snapshot was taken (for the view until the rules re-decide). */
  active: string[]
}

export interface LaneStep {
  events: ShelfEvent[]
  conditions: ConditionChange[]
}

const flagRules = { low: 'shelf.restock.low', out: 'shelf.out_of_stock', misplaced: 'shelf.misplaced' } as const

export function resolveStoreLane(shelf: ShelfConfig, lane: StoreLaneConfig): ResolvedLane {
  return resolveLane({
    id: lane.id,
    sku: lane.sku ?? '',
    name: lane.name,
    unitWeight: lane.unitWeight,
    capacity: lane.capacity,
    restockAt: lane.restockAt,
    // laneConfigSchema wants a positive lead time; 0 in the store config means "no predictive alert".
    leadTimeMin: lane.leadTimeMin > 0 ? lane.leadTimeMin : 1e-9,
    ...(lane.tareG !== undefined ? { tareG: lane.tareG } : {}),
    ...(lane.calibration ? { calibration: lane.calibration } : {}),
    ...(shelf.location ? { location: shelf.location } : {}),
  })
}

export class LaneTracker {
  readonly shelf: string
  readonly lane: ResolvedLane
  readonly subject: string
  readonly #sku: string | undefined
  readonly #pipeline: LanePipeline
  readonly #rules: LaneRestockRules
  readonly #active = new Set<string>()
  #offset = 0
  #restored: { count: number; stableWeightG: number | null } | undefined
  /** After a restart, while the pipeline has no count yet but steps from the snapshot explain the weight. */
  #bridging = false
  #stableWeightG: number | null = null
  #lastStatus: LaneState['status'] = 'starting'
  #updatedAt: number | undefined

  constructor(shelf: ShelfConfig, lane: StoreLaneConfig, opts: { pipeline?: PipelineOptions; rules?: LaneRulesOptions } = {}) {
    this.shelf = shelf.id
    this.lane = resolveStoreLane(shelf, lane)
    this.#sku = lane.sku
    this.subject = `shelf/${shelf.id}/${lane.id}`
    this.#pipeline = new LanePipeline(this.lane, opts.pipeline)
    this.#rules = new LaneRestockRules({ shelf: shelf.id, lane: this.lane }, opts.rules)
  }

  /** Continue from a snapshot taken before a restart (call before the first reading). */
  restore(s: LaneSnapshot): void {
    if (s.count !== null) this.#restored = { count: s.count, stableWeightG: s.stableWeightG }
    this.#stableWeightG = s.stableWeightG
    for (const r of s.active) this.#active.add(r)
  }

  get lastReadingAt(): number | null {
    return this.#pipeline.state().lastReadingAt
  }

  push(r: Pick<ShelfWeightReading, 'ts' | 'g' | 'raw'>): LaneStep {
    const raw = this.#pipeline.push(r)
    // Most readings change nothing: no events to bridge or adjust.
    const events = raw.length === 0 && this.#restored === undefined ? [] : [...this.#bridge(raw), ...this.#adjust(raw.filter((e) => !(this.#bridging && e.type === 'misplaced')))]
    const state = this.state()
    if (state.stable && state.status === 'counting' && state.weightG !== null) this.#stableWeightG = state.weightG
    this.#lastStatus = state.status
    this.#updatedAt = r.ts
    return { events, conditions: this.#track(this.#rules.update(r.ts, state, events)) }
  }

  /** Time-based rule updates (persistence timers, predicted empty) with no new reading. */
  tick(now: number): ConditionChange[] {
    return this.#track(this.#rules.update(now, this.state(), []))
  }

  /** The pipeline's state with the restart offset applied; the restored count until the first stable weight. */
  state(): LaneState {
    const s = this.#pipeline.state()
    const count = s.count === null ? (this.#restored?.count ?? null) : s.count + this.#offset
    if (!this.#bridging || s.count !== null) {
      s.count = count // s is the pipeline's fresh copy
      return s
    }
    const { unexplainedG: _u, ...rest } = s
    return { ...rest, count, status: 'counting' }
  }

  view(): LaneView {
    const s = this.state()
    const v: LaneView = {
      shelf: this.shelf,
      lane: this.lane.id,
      name: this.lane.name,
      capacity: this.lane.capacity,
      restockAt: this.lane.restockAt,
      stable: s.stable,
      lowStock: this.#active.has(flagRules.low),
      outOfStock: this.#active.has(flagRules.out),
      misplaced: this.#active.has(flagRules.misplaced),
    }
    if (this.#sku !== undefined) v.sku = this.#sku
    if (this.lane.location) v.location = this.lane.location
    if (s.count !== null) v.count = s.count
    if (s.weightG !== null) v.weightG = Math.round(s.weightG * 10) / 10
    if (s.predictedEmptyAt !== undefined) v.predictedEmptyAt = s.predictedEmptyAt
    if (this.#updatedAt !== undefined) v.updatedAt = this.#updatedAt
    return v
  }

  /** Retained `state/shelf/{shelf}/{lane}` payload. */
  statePayload(): LaneView & { status: LaneState['status'] } {
    return { ...this.view(), status: this.state().status }
  }

  /** What changes the retained state enough to publish it again (not every gram of noise). */
  stateKey(): string {
    const v = this.statePayload()
    const minute = v.predictedEmptyAt === undefined ? null : Math.round(v.predictedEmptyAt / 60_000)
    // Weight in 10 g steps: scale noise must not republish (each retained publish is an SD-card write).
    const weight = v.weightG !== undefined ? Math.round(v.weightG / 10) * 10 : null
    // `stable` itself is left out: it flickers with network jitter between readings, and a count only
    // changes on a stable weight anyway.
    return JSON.stringify([v.count, v.status, v.lowStock, v.outOfStock, v.misplaced, minute, weight])
  }

  snapshot(): LaneSnapshot {
    const s = this.state()
    return { v: 1, count: s.count, stableWeightG: this.#stableWeightG, lastReadingAt: s.lastReadingAt, active: [...this.#active] }
  }

  #track(changes: ConditionChange[]): ConditionChange[] {
    for (const c of changes) {
      if (c.active) this.#active.add(c.rule)
      else this.#active.delete(c.rule)
    }
    return changes
  }

  #adjust(events: ShelfEvent[]): ShelfEvent[] {
    const out: ShelfEvent[] = []
    for (const e of events) {
      if (e.type === 'count' && this.#restored !== undefined) {
        out.push(...this.#reconcile(e.count, e.weightG, e.at))
        continue
      }
      if (e.type === 'resolved' && this.#lastStatus === 'below_tare') this.#offset = 0 // recounted from scratch
      if (e.type === 'pick' || e.type === 'put' || e.type === 'resolved') out.push({ ...e, count: e.count + this.#offset })
      else out.push(e)
    }
    return out
  }

  /**
   * After a restart, items heavier than their label can keep the pipeline from its first count (the
   * absolute formula is not near a whole number: it reports 'misplaced'). Steps from the snapshot's
   * stable weight still count them, until the pipeline counts by itself (then #reconcile takes over).
   */
  #bridge(raw: ShelfEvent[]): ShelfEvent[] {
    const s = this.#pipeline.state()
    const before = this.#restored
    if (s.count !== null || before === undefined || before.stableWeightG === null || !s.stable || s.weightG === null) return []
    if (raw.some((e) => e.type === 'count')) return []
    const step = countFromWeight(s.weightG - before.stableWeightG, this.lane.unitWeight, this.lane.tolerance)
    this.#bridging = step.ok && before.count + step.count >= 0
    if (!this.#bridging || !step.ok || step.count === 0) return []
    const count = before.count + step.count
    this.#restored = { count, stableWeightG: s.weightG }
    this.#stableWeightG = s.weightG
    const at = s.lastStableAt ?? s.lastReadingAt ?? 0
    return [step.count < 0 ? { type: 'pick', qty: -step.count, count, at } : { type: 'put', qty: step.count, count, at }]
  }

  /** First count after a restart, measured as a step from the snapshot's stable weight. */
  #reconcile(pipelineCount: number, weightG: number, at: number): ShelfEvent[] {
    const before = this.#restored
    this.#restored = undefined
    this.#bridging = false
    if (before === undefined || before.stableWeightG === null) return [{ type: 'count', count: pipelineCount, weightG, at }]
    const step = countFromWeight(weightG - before.stableWeightG, this.lane.unitWeight, this.lane.tolerance)
    if (!step.ok || before.count + step.count < 0) return [{ type: 'count', count: pipelineCount, weightG, at }]
    const count = before.count + step.count
    this.#offset = count - pipelineCount
    if (step.count < 0) return [{ type: 'pick', qty: -step.count, count, at }]
    if (step.count > 0) return [{ type: 'put', qty: step.count, count, at }]
    return []
  }
}
