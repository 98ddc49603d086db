/**
 * 'locker.door_ajar': a compartment door has stayed open longer than allowed (default 60 s; door-ajar
 * alarms on cold equipment commonly use 30 s–2 min, domain facts §1). Clears when the door closes.
 */
import type { Clock } from '../../core/clock.ts'
import type { ConditionChange } from '../../contract/conditions.ts'
import type { LockerRuleInput } from './lockerInputs.ts'
import { compartmentSubject } from './lockerInputs.ts'

export interface DoorAjarOptions {
  clock: Clock
  maxOpenMs?: number
}

export class DoorAjarRule {
  readonly #clock: Clock
  readonly #maxOpenMs: number
  /** subject → when the door opened, and whether the alert is raised. */
  readonly #open = new Map<string, { since: number; raised: boolean }>()

  constructor(opts: DoorAjarOptions) {
    this.#clock = opts.clock
    this.#maxOpenMs = opts.maxOpenMs ?? 60_000
  }

  handle(input: LockerRuleInput): ConditionChange[] {
    if (input.kind !== 'locker.event') return []
    const subject = compartmentSubject(input.locker, input.slot)
    if (input.type === 'door_opened') {
      if (!this.#open.has(subject)) this.#open.set(subject, { since: input.ts, raised: false })
      return []
    }
    if (input.type !== 'door_closed') return []
    const door = this.#open.get(subject)
    this.#open.delete(subject)
    if (!door?.raised) return []
    return [change(subject, false, input.ts, (input.ts - door.since) / 1000)]
  }

  tick(): ConditionChange[] {
    const now = this.#clock.now()
    const out: ConditionChange[] = []
    for (const [subject, door] of this.#open) {
      if (door.raised || now - door.since <= this.#maxOpenMs) continue
      door.raised = true
      out.push(change(subject, true, now, Math.round((now - door.since) / 1000)))
    }
    return out
  }
}

function change(subject: string, active: boolean, at: number, seconds: number): ConditionChange {
  return {
    rule: 'locker.door_ajar',
    subject,
    active,
    severity: 'warning',
    area: 'lockers',
    at,
    message: { key: 'locker.door_ajar', params: { subject, seconds: Math.round(seconds) } },
    value: Math.round(seconds),
  }
}
