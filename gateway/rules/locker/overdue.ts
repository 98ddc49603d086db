/**
 * 'locker.overdue': an order was not collected by its due time. The due time is set at deposit and is
 * earlier for goods in a compartment too warm for them (devices/locker/order.ts); those are critical,
 * because the food is at risk, not only the shelf space. Clears when the compartment is emptied.
 */
import type { Clock } from '../../core/clock.ts'
import type { ConditionChange } from '../../contract/conditions.ts'
import { compartmentSuits } from '../../../devices/locker/order.ts'
import type { Compartment } from '../../../devices/locker/compartment.ts'
import type { LockerRuleInput } from './lockerInputs.ts'
import { compartmentSubject } from './lockerInputs.ts'

interface Watched {
  orderId: string
  dueAt: number
  tooWarm: boolean
  raised: boolean
}

export class OverdueRule {
  readonly #clock: Clock
  readonly #watched = new Map<string, Watched>()

  constructor(opts: { clock: Clock }) {
    this.#clock = opts.clock
  }

  handle(input: LockerRuleInput): ConditionChange[] {
    if (input.kind !== 'locker.compartment') return []
    const c = input.compartment
    const subject = compartmentSubject(c.locker, c.slot)
    const prev = this.#watched.get(subject)
    if (holdsGoods(c) && c.order && c.dueAt !== undefined) {
      if (prev && prev.orderId === c.order.id) return []
      this.#watched.set(subject, {
        orderId: c.order.id,
        dueAt: c.dueAt,
        tooWarm: !compartmentSuits(c.order.tempClass, c.tempClass),
        raised: false,
      })
      return prev?.raised ? [change(subject, prev, false, c.since)] : []
    }
    // Out of service keeps the goods inside: the order is still waiting, keep watching it.
    if (c.state === 'out_of_service') return []
    this.#watched.delete(subject)
    return prev?.raised ? [change(subject, prev, false, c.since)] : []
  }

  tick(): ConditionChange[] {
    const now = this.#clock.now()
    const out: ConditionChange[] = []
    for (const [subject, w] of this.#watched) {
      if (w.raised || now < w.dueAt) continue
      w.raised = true
      out.push(change(subject, w, true, now))
    }
    return out
  }
}

function holdsGoods(c: Compartment): boolean {
  return c.state === 'loaded' || c.state === 'overdue'
}

function change(subject: string, w: Watched, active: boolean, at: number): ConditionChange {
  return {
    rule: 'locker.overdue',
    subject,
    active,
    severity: w.tooWarm ? 'critical' : 'warning',
    area: 'lockers',
    at,
    message: {
      key: 'locker.overdue',
      params: { subject, order: w.orderId, dueAt: new Date(w.dueAt).toISOString(), tooWarm: w.tooWarm ? 1 : 0 },
    },
  }
}
