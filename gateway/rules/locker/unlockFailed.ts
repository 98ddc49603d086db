/**
 * 'locker.unlock_failed': the gateway asked a compartment to unlock but its door did not open within
 * the allowed time (default 10 s: a customer stands in front of it), or the board itself reported
 * 'unlock_failed'. Clears when the door opens after all, or a later unlock is requested.
 * A door that was already open when the unlock came is not expected to "open" again.
 */
import type { Clock } from '../../core/clock.ts'
import type { ConditionChange } from '../../contract/conditions.ts'
import type { LockerRuleInput } from './lockerInputs.ts'
import { compartmentSubject } from './lockerInputs.ts'

export interface UnlockFailedOptions {
  clock: Clock
  openWithinMs?: number
}

export class UnlockFailedRule {
  readonly #clock: Clock
  readonly #openWithinMs: number
  readonly #doorOpen = new Set<string>()
  readonly #pending = new Map<string, number>()
  readonly #raised = new Set<string>()

  constructor(opts: UnlockFailedOptions) {
    this.#clock = opts.clock
    this.#openWithinMs = opts.openWithinMs ?? 10_000
  }

  handle(input: LockerRuleInput): ConditionChange[] {
    if (input.kind === 'locker.unlock_requested') {
      const subject = compartmentSubject(input.locker, input.slot)
      if (!this.#doorOpen.has(subject)) this.#pending.set(subject, input.at)
      return this.#clear(subject, input.at)
    }
    if (input.kind !== 'locker.event') return []
    const subject = compartmentSubject(input.locker, input.slot)
    switch (input.type) {
      case 'door_opened':
        this.#doorOpen.add(subject)
        this.#pending.delete(subject)
        return this.#clear(subject, input.ts)
      case 'door_closed':
        this.#doorOpen.delete(subject)
        return []
      case 'unlock_failed':
        this.#pending.delete(subject)
        return this.#raise(subject, input.ts, 'board')
      default:
        return []
    }
  }

  tick(): ConditionChange[] {
    const now = this.#clock.now()
    const out: ConditionChange[] = []
    for (const [subject, at] of this.#pending) {
      if (now - at <= this.#openWithinMs) continue
      this.#pending.delete(subject)
      out.push(...this.#raise(subject, now, 'door_stayed_closed'))
    }
    return out
  }

  #raise(subject: string, at: number, cause: string): ConditionChange[] {
    if (this.#raised.has(subject)) return []
    this.#raised.add(subject)
    return [change(subject, true, at, cause)]
  }

  #clear(subject: string, at: number): ConditionChange[] {
    if (!this.#raised.delete(subject)) return []
    return [change(subject, false, at, 'door_opened')]
  }
}

function change(subject: string, active: boolean, at: number, cause: string): ConditionChange {
  return {
    rule: 'locker.unlock_failed',
    subject,
    active,
    severity: 'warning',
    area: 'lockers',
    at,
    message: { key: 'locker.unlock_failed', params: { subject, cause } },
  }
}
