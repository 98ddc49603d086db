/**
 * 'locker.code_bruteforce': repeated wrong pickup codes locked an order (subject
 * 'locker/{locker}/{slot}', warning) or a whole keypad (subject 'locker/{locker}', critical: someone
 * is guessing). Clears when the lockout ends.
 */
import type { Clock } from '../../core/clock.ts'
import type { ConditionChange } from '../../contract/conditions.ts'
import type { LockoutNotice } from '../../../devices/locker/codeAttempts.ts'
import type { LockerRuleInput } from './lockerInputs.ts'
import { compartmentSubject } from './lockerInputs.ts'

export class CodeBruteforceRule {
  readonly #clock: Clock
  readonly #active = new Map<string, LockoutNotice>()

  constructor(opts: { clock: Clock }) {
    this.#clock = opts.clock
  }

  handle(input: LockerRuleInput): ConditionChange[] {
    if (input.kind !== 'locker.lockout') return []
    const n = input.notice
    const subject = subjectOf(n)
    this.#active.set(subject, n)
    return [change(subject, n, true, n.at)]
  }

  tick(): ConditionChange[] {
    const now = this.#clock.now()
    const out: ConditionChange[] = []
    for (const [subject, n] of this.#active) {
      if (now < n.until) continue
      this.#active.delete(subject)
      out.push(change(subject, n, false, n.until))
    }
    return out
  }
}

function subjectOf(n: LockoutNotice): string {
  if (n.type === 'order_locked' && n.slot !== undefined) return compartmentSubject(n.locker, n.slot)
  return `locker/${n.locker}`
}

function change(subject: string, n: LockoutNotice, active: boolean, at: number): ConditionChange {
  return {
    rule: 'locker.code_bruteforce',
    subject,
    active,
    severity: n.type === 'keypad_locked' ? 'critical' : 'warning',
    area: 'lockers',
    at,
    message: {
      key: 'locker.code_bruteforce',
      params: { subject, scope: n.type === 'keypad_locked' ? 'keypad' : 'order', failures: n.failures, until: new Date(n.until).toISOString(), ...(n.type === 'order_locked' ? { order: n.orderId } : {}) },
    },
    value: n.failures,
  }
}
