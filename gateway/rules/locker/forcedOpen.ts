/**
 * 'locker.forced': a compartment door opened although nobody unlocked it: no unlock request from the
 * gateway and no 'unlocked' report from the locker itself (MQTT lockers with their own keypad report
 * that) within the authorisation window (default 30 s). Critical: goods may be stolen or the lock is
 * broken. It does not clear by itself; staff resolve it after checking the compartment.
 */
import type { Clock } from '../../core/clock.ts'
import type { ConditionChange } from '../../contract/conditions.ts'
import type { LockerRuleInput } from './lockerInputs.ts'
import { compartmentSubject } from './lockerInputs.ts'

export interface ForcedOpenOptions {
  clock: Clock
  authorisedForMs?: number
}

export class ForcedOpenRule {
  readonly #authorisedForMs: number
  /** subject → when the last unlock was requested or reported. */
  readonly #authorised = new Map<string, number>()
  readonly #doorOpen = new Set<string>()

  constructor(opts: ForcedOpenOptions) {
    // The clock is not needed: every decision is made on an event with its own time.
    void opts.clock
    this.#authorisedForMs = opts.authorisedForMs ?? 30_000
  }

  handle(input: LockerRuleInput): ConditionChange[] {
    if (input.kind === 'locker.unlock_requested') {
      this.#authorised.set(compartmentSubject(input.locker, input.slot), input.at)
      return []
    }
    if (input.kind !== 'locker.event') return []
    const subject = compartmentSubject(input.locker, input.slot)
    if (input.type === 'unlocked') {
      this.#authorised.set(subject, input.ts)
      return []
    }
    if (input.type === 'door_closed') {
      this.#doorOpen.delete(subject)
      return []
    }
    if (input.type !== 'door_opened' || this.#doorOpen.has(subject)) return []
    this.#doorOpen.add(subject)
    const at = this.#authorised.get(subject)
    // One unlock authorises one opening.
    this.#authorised.delete(subject)
    if (at !== undefined && input.ts - at <= this.#authorisedForMs && input.ts >= at) return []
    return [
      {
        rule: 'locker.forced',
        subject,
        active: true,
        severity: 'critical',
        area: 'lockers',
        at: input.ts,
        message: { key: 'locker.forced', params: { subject } },
      },
    ]
  }

  tick(): ConditionChange[] {
    return []
  }
}
