/** All restock rules of one lane, evaluated together after each reading (or on a timer tick). */
import type { ConditionChange } from '../../contract/conditions.ts'
import type { ShelfEvent } from '../../../devices/shelf/events.ts'
import type { LaneState } from '../../../devices/shelf/lanePipeline.ts'
import { CalibrationSuspectRule } from './calibrationSuspect.ts'
import type { CalibrationSuspectOptions } from './calibrationSuspect.ts'
import type { LaneRule, LaneRuleContext } from './laneRule.ts'
import { LowStockRule } from './lowStock.ts'
import type { LowStockOptions } from './lowStock.ts'
import { MisplacedItemRule } from './misplacedItem.ts'
import type { MisplacedOptions } from './misplacedItem.ts'
import { OutOfStockRule } from './outOfStock.ts'
import type { OutOfStockOptions } from './outOfStock.ts'
import { PredictedEmptyRule } from './predictedEmpty.ts'
import type { PredictedEmptyOptions } from './predictedEmpty.ts'

export interface LaneRulesOptions {
  low?: LowStockOptions
  outOfStock?: OutOfStockOptions
  predicted?: PredictedEmptyOptions
  misplaced?: MisplacedOptions
  calibration?: CalibrationSuspectOptions
}

export class LaneRestockRules {
  readonly rules: readonly LaneRule[]

  constructor(ctx: LaneRuleContext, opts: LaneRulesOptions = {}) {
    this.rules = [
      new LowStockRule(ctx, opts.low),
      new OutOfStockRule(ctx, opts.outOfStock),
      new PredictedEmptyRule(ctx, opts.predicted),
      new MisplacedItemRule(ctx, opts.misplaced),
      new CalibrationSuspectRule(ctx, opts.calibration),
    ]
  }

  update(now: number, state: LaneState, events: readonly ShelfEvent[] = []): ConditionChange[] {
    // Called for every reading: one input object for all rules, and no array copies when nothing changed.
    const input = { now, state, events }
    let out: ConditionChange[] | undefined
    for (const r of this.rules) {
      const changes = r.update(input)
      if (changes.length === 0) continue
      if (out === undefined) out = []
      for (const c of changes) out.push(c)
    }
    return out ?? []
  }
}
