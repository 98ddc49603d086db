/**
 * Low stock: count ≤ restockAt. Clears only when the lane is restocked above restockAt + margin, so
 * a customer putting one item back (or taking it again) does not make the alert flap.
 */
import type { ConditionChange } from '../../contract/conditions.ts'
import { changeFor, Debounced } from './laneRule.ts'
import type { LaneRule, LaneRuleContext, LaneRuleInput } from './laneRule.ts'

export interface LowStockOptions {
  /** Items above restockAt needed to clear (default 1). */
  margin?: number
  /** The low count must last this long (ms) before staff are told: a miscount is gone in seconds. */
  confirmMs?: number
}

export class LowStockRule implements LaneRule {
  readonly id = 'shelf.restock.low'
  readonly #ctx: LaneRuleContext
  readonly #margin: number
  readonly #gate: Debounced
  readonly #make
  #reported: number | undefined

  constructor(ctx: LaneRuleContext, opts: LowStockOptions = {}) {
    this.#ctx = ctx
    this.#margin = opts.margin ?? 1
    this.#gate = new Debounced(opts.confirmMs ?? 5_000)
    this.#make = changeFor(ctx, this.id, 'warning', 'shelf.low')
  }

  update({ now, state }: LaneRuleInput): ConditionChange[] {
    const count = state.count
    if (count === null) return []
    const { restockAt } = this.#ctx.lane
    const params = { count, restockAt }
    switch (this.#gate.step(now, count <= restockAt, count > restockAt + this.#margin)) {
      case 'raise':
        this.#reported = count
        return [this.#make(true, this.#gate.startedAt, params, count)]
      case 'clear':
        this.#reported = undefined
        return [this.#make(false, now, params, count)]
    }
    // Still low, but the count moved: update the open alert rather than opening another.
    if (this.#gate.active && count !== this.#reported) {
      this.#reported = count
      return [this.#make(true, this.#gate.startedAt, params, count)]
    }
    return []
  }
}
