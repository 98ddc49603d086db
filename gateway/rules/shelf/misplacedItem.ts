/**
 * Misplaced / unknown item: the lane holds weight that is not a whole number of its product. A hand
 * resting on the shelf looks the same for a moment, so it must persist (default 30 s) to alert.
 */
import type { ConditionChange } from '../../contract/conditions.ts'
import { changeFor, Debounced } from './laneRule.ts'
import type { LaneRule, LaneRuleContext, LaneRuleInput } from './laneRule.ts'

export interface MisplacedOptions {
  persistMs?: number
}

export class MisplacedItemRule implements LaneRule {
  readonly id = 'shelf.misplaced'
  readonly #gate: Debounced
  readonly #make
  #since: number | undefined

  constructor(ctx: LaneRuleContext, opts: MisplacedOptions = {}) {
    this.#gate = new Debounced(opts.persistMs ?? 30_000)
    this.#make = changeFor(ctx, this.id, 'warning', 'shelf.misplaced')
  }

  update({ now, state, events }: LaneRuleInput): ConditionChange[] {
    for (const e of events) {
      if (e.type === 'misplaced') this.#since = e.at
      else if (e.type === 'resolved' || e.type === 'below_tare') this.#since = undefined
    }
    const holds = state.status === 'misplaced'
    const grams = Math.round(state.unexplainedG ?? 0)
    switch (this.#gate.step(now, holds, !holds, this.#since ?? now)) {
      case 'raise':
        return [this.#make(true, this.#gate.startedAt, { grams }, grams)]
      case 'clear':
        return [this.#make(false, now, { grams }, grams)]
    }
    return []
  }
}
