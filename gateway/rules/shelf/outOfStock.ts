/** Out of stock: the lane is empty. Critical: an empty lane loses every sale until someone acts. */
import type { ConditionChange } from '../../contract/conditions.ts'
import { changeFor, Debounced } from './laneRule.ts'
import type { LaneRule, LaneRuleContext, LaneRuleInput } from './laneRule.ts'

export interface OutOfStockOptions {
  confirmMs?: number
}

export class OutOfStockRule implements LaneRule {
  readonly id = 'shelf.out_of_stock'
  readonly #gate: Debounced
  readonly #make

  constructor(ctx: LaneRuleContext, opts: OutOfStockOptions = {}) {
    this.#gate = new Debounced(opts.confirmMs ?? 5_000)
    this.#make = changeFor(ctx, this.id, 'critical', 'shelf.out_of_stock')
  }

  update({ now, state }: LaneRuleInput): ConditionChange[] {
    const count = state.count
    if (count === null) return []
    switch (this.#gate.step(now, count === 0, count > 0)) {
      case 'raise':
        return [this.#make(true, this.#gate.startedAt, { count }, count)]
      case 'clear':
        return [this.#make(false, now, { count }, count)]
    }
    return []
  }
}
