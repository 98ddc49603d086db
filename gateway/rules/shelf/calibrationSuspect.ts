/**
 * Calibration suspect: the lane reads below its empty weight, or its empty weight has wandered far
 * from the configured tare. Counting may still look right, but the load cell or its calibration
 * needs a look before counts go wrong.
 */
import type { ConditionChange } from '../../contract/conditions.ts'
import { changeFor, Debounced } from './laneRule.ts'
import type { LaneRule, LaneRuleContext, LaneRuleInput } from './laneRule.ts'

export interface CalibrationSuspectOptions {
  /** Tare drift (g) that makes calibration suspect; default a quarter item, at least 10 g. */
  maxTareDriftG?: number
  persistMs?: number
}

export class CalibrationSuspectRule implements LaneRule {
  readonly id = 'shelf.calibration_suspect'
  readonly #maxDrift: number
  readonly #gate: Debounced
  readonly #make

  constructor(ctx: LaneRuleContext, opts: CalibrationSuspectOptions = {}) {
    this.#maxDrift = opts.maxTareDriftG ?? Math.max(10, ctx.lane.unitWeight * 0.25)
    this.#gate = new Debounced(opts.persistMs ?? 60_000)
    this.#make = changeFor(ctx, this.id, 'warning', 'shelf.calibration_suspect')
  }

  update({ now, state }: LaneRuleInput): ConditionChange[] {
    const below = state.status === 'below_tare'
    const drift = Math.abs(state.tareDriftG)
    const offsetG = Math.round(below ? (state.unexplainedG ?? 0) : state.tareDriftG)
    // Clear a little inside the limit so a drift hovering at the edge does not flap.
    const holds = below || drift > this.#maxDrift
    const clears = !below && drift < this.#maxDrift * 0.8
    switch (this.#gate.step(now, holds, clears)) {
      case 'raise':
        return [this.#make(true, this.#gate.startedAt, { offsetG }, offsetG)]
      case 'clear':
        return [this.#make(false, now, { offsetG }, offsetG)]
    }
    return []
  }
}
