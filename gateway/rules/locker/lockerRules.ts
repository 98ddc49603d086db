/**
 * All locker rules behind one door: feed every locker input to `handle`, call `tick` on the rule
 * timer, and pass the condition changes to the alert engine. Each rule stays in its own file.
 */
import type { Clock } from '../../core/clock.ts'
import type { ConditionChange } from '../../contract/conditions.ts'
import { CodeBruteforceRule } from './codeBruteforce.ts'
import { DoorAjarRule } from './doorAjar.ts'
import { ForcedOpenRule } from './forcedOpen.ts'
import type { LockerRuleInput } from './lockerInputs.ts'
import { OverdueRule } from './overdue.ts'
import { UnlockFailedRule } from './unlockFailed.ts'

export interface LockerRulesOptions {
  clock: Clock
  /** Door ajar after this long open (default 60 s). */
  doorAjarMs?: number
  /** Unlock failed when the door has not opened this long after the request (default 10 s). */
  unlockOpenWithinMs?: number
  /** An unlock authorises a door opening this long after it (default 30 s). */
  unlockAuthorisesMs?: number
}

interface LockerRule {
  handle(input: LockerRuleInput): ConditionChange[]
  tick(): ConditionChange[]
}

export class LockerRules {
  readonly #rules: LockerRule[]

  constructor(opts: LockerRulesOptions) {
    const { clock } = opts
    this.#rules = [
      new DoorAjarRule({ clock, ...(opts.doorAjarMs !== undefined ? { maxOpenMs: opts.doorAjarMs } : {}) }),
      new OverdueRule({ clock }),
      new UnlockFailedRule({ clock, ...(opts.unlockOpenWithinMs !== undefined ? { openWithinMs: opts.unlockOpenWithinMs } : {}) }),
      new ForcedOpenRule({ clock, ...(opts.unlockAuthorisesMs !== undefined ? { authorisedForMs: opts.unlockAuthorisesMs } : {}) }),
      new CodeBruteforceRule({ clock }),
    ]
  }

  handle(input: LockerRuleInput): ConditionChange[] {
    return this.#rules.flatMap((r) => r.handle(input))
  }

  tick(): ConditionChange[] {
    return this.#rules.flatMap((r) => r.tick())
  }
}
