/**
 * Predictive restock: at the current sales pace the lane will be empty before staff could refill it
 * (time-to-empty < leadTimeMin). Clears when the prediction recedes past 1.5 × lead time, on
 * restock, or when the lane is empty (then out-of-stock speaks instead).
 */
import type { ConditionChange } from '../../contract/conditions.ts'
import { changeFor, Debounced } from './laneRule.ts'
import type { LaneRule, LaneRuleContext, LaneRuleInput } from './laneRule.ts'

export interface PredictedEmptyOptions {
  /** Clear when the time to empty grows past this multiple of the lead time. */
  clearFactor?: number
  confirmMs?: number
}

export class PredictedEmptyRule implements LaneRule {
  readonly id = 'shelf.predicted_empty'
  readonly #ctx: LaneRuleContext
  readonly #clearFactor: number
  readonly #gate: Debounced
  readonly #make
  #reportedCount: number | undefined

  constructor(ctx: LaneRuleContext, opts: PredictedEmptyOptions = {}) {
    this.#ctx = ctx
    this.#clearFactor = opts.clearFactor ?? 1.5
    this.#gate = new Debounced(opts.confirmMs ?? 5_000)
    this.#make = changeFor(ctx, this.id, 'warning', 'shelf.predicted_empty')
  }

  update({ now, state }: LaneRuleInput): ConditionChange[] {
    const count = state.count
    if (count === null) return []
    const leadMs = this.#ctx.lane.leadTimeMin * 60_000
    const ttl = state.predictedEmptyAt === undefined ? Infinity : state.predictedEmptyAt - now
    const minutes = Number.isFinite(ttl) ? Math.max(0, Math.round(ttl / 60_000)) : -1
    const params = { count, minutes, leadTimeMin: this.#ctx.lane.leadTimeMin }
    const holds = count > 0 && ttl < leadMs
    const clears = count === 0 || ttl > leadMs * this.#clearFactor
    switch (this.#gate.step(now, holds, clears)) {
      case 'raise':
        this.#reportedCount = count
        return [this.#make(true, this.#gate.startedAt, params, minutes)]
      case 'clear':
        this.#reportedCount = undefined
        return [this.#make(false, now, params, minutes)]
    }
    if (this.#gate.active && count !== this.#reportedCount) {
      this.#reportedCount = count
      return [this.#make(true, this.#gate.startedAt, params, minutes)]
    }
    return []
  }
}
