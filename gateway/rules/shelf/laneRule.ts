/** What every shelf rule sees and how it names its alerts. */
import type { ConditionChange, Severity } from '../../contract/conditions.ts'
import type { ShelfEvent } from '../../../devices/shelf/events.ts'
import type { ResolvedLane } from '../../../devices/shelf/laneConfig.ts'
import type { LaneState } from '../../../devices/shelf/lanePipeline.ts'

export interface LaneRuleContext {
  shelf: string
  lane: ResolvedLane
}

/** One evaluation: the lane's state after its latest reading (or a timer tick), and the events it just produced. */
export interface LaneRuleInput {
  now: number
  state: LaneState
  events: readonly ShelfEvent[]
}

export interface LaneRule {
  readonly id: string
  update(input: LaneRuleInput): ConditionChange[]
}

export function laneSubject(ctx: LaneRuleContext): string {
  return `shelf/${ctx.shelf}/${ctx.lane.id}`
}

/** Builds changes for one (rule, lane): the parameters every shelf message needs are filled in once. */
export function changeFor(ctx: LaneRuleContext, rule: string, severity: Severity, key: string) {
  return (active: boolean, at: number, params: Record<string, string | number>, value?: number): ConditionChange => {
    const change: ConditionChange = {
      rule,
      subject: laneSubject(ctx),
      active,
      severity,
      area: 'shelves',
      at,
      message: { key, params: { name: ctx.lane.name, sku: ctx.lane.sku, shelf: ctx.shelf, lane: ctx.lane.id, ...params } },
    }
    if (value !== undefined) change.value = value
    return change
  }
}

/**
 * A condition that must hold for `holdMs` before it is raised, and clears on its own (usually
 * stricter) clear condition: the shape shared by every shelf alert. Pure: time comes in `now`.
 */
export class Debounced {
  readonly #holdMs: number
  #since: number | undefined
  active = false
  startedAt = 0

  constructor(holdMs: number) {
    this.#holdMs = holdMs
  }

  /** Returns 'raise', 'clear' or undefined (nothing changed). */
  step(now: number, holds: boolean, clears: boolean, since = now): 'raise' | 'clear' | undefined {
    if (this.active) {
      if (clears) {
        this.active = false
        this.#since = undefined
        return 'clear'
      }
      return undefined
    }
    if (!holds) {
      this.#since = undefined
      return undefined
    }
    this.#since ??= since
    if (now - this.#since < this.#holdMs) return undefined
    this.active = true
    this.startedAt = this.#since
    return 'raise'
  }
}
