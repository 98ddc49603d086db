/**
 * One locker compartment's life, as a pure state machine:
 *
 *   empty ─reserve─▶ reserved ─deposit─▶ loaded ─pickup─▶ collected ─release─▶ empty
 *              ◀─cancel─┘                  │
 *                                          └─deadline─▶ overdue ─pickup─▶ collected (late)
 *                                                          └─staff_removed─▶ returned ─release─▶ empty
 *   any state ─take_out_of_service─▶ out_of_service ─return_to_service─▶ the state it left
 *
 * `apply` never throws: an event that does not fit the current state returns `{ ok: false }` with
 * a message a person can act on, and the caller keeps the compartment unchanged.
 */
import type { DeadlinePolicy, Order, TempClass } from './order.ts'
import { defaultDeadlinePolicy, effectiveDeadline } from './order.ts'

export type CompartmentState =
  | 'empty'
  | 'reserved'
  | 'loaded'
  | 'collected'
  | 'overdue'
  | 'returned'
  | 'out_of_service'

export interface Compartment {
  locker: string
  slot: number
  tempClass: TempClass
  state: CompartmentState
  /** When the compartment entered its current state. */
  since: number
  /** The order it holds or is reserved for. */
  order?: Pick<Order, 'id' | 'tempClass' | 'deadline'>
  /** Overdue from this time on; set at deposit (may be earlier than the order's deadline). */
  dueAt?: number
  /** While out of service: the state to return to, and why it was taken out. */
  suspended?: { state: CompartmentState; reason: string }
}

export type CompartmentEvent =
  | { type: 'reserve'; at: number; order: Pick<Order, 'id' | 'tempClass' | 'deadline'> }
  | { type: 'cancel'; at: number }
  /** A courier closed the door with the goods inside (door closed + occupancy sensor). */
  | { type: 'deposit'; at: number }
  /** The customer took the goods: door closed with the compartment vacant after a code opening. */
  | { type: 'pickup'; at: number }
  /** The clock passed `dueAt`; refused if it has not. */
  | { type: 'deadline_passed'; at: number }
  /** Staff took an uncollected order back into the store. */
  | { type: 'staff_removed'; at: number }
  /** The compartment is checked and ready for the next order. */
  | { type: 'release'; at: number }
  | { type: 'take_out_of_service'; at: number; reason: string }
  | { type: 'return_to_service'; at: number }

export type TransitionResult =
  | { ok: true; compartment: Compartment }
  | { ok: false; error: { code: 'invalid_transition' | 'deadline_not_reached'; message: string } }

export function newCompartment(locker: string, slot: number, tempClass: TempClass, at: number): Compartment {
  return { locker, slot, tempClass, state: 'empty', since: at }
}

/** Which events each state accepts, and where they lead. */
const moves: Record<CompartmentState, Partial<Record<CompartmentEvent['type'], CompartmentState>>> = {
  empty: { reserve: 'reserved' },
  reserved: { deposit: 'loaded', cancel: 'empty' },
  loaded: { pickup: 'collected', deadline_passed: 'overdue' },
  overdue: { pickup: 'collected', staff_removed: 'returned' },
  collected: { release: 'empty' },
  returned: { release: 'empty' },
  out_of_service: {},
}

export function apply(c: Compartment, ev: CompartmentEvent, policy: DeadlinePolicy = defaultDeadlinePolicy): TransitionResult {
  const name = `compartment ${c.locker}/${c.slot}`
  if (ev.type === 'take_out_of_service') {
    if (c.state === 'out_of_service') return invalid(`${name} is already out of service`)
    return done({ ...c, state: 'out_of_service', since: ev.at, suspended: { state: c.state, reason: ev.reason } })
  }
  if (ev.type === 'return_to_service') {
    if (c.state !== 'out_of_service' || !c.suspended) return invalid(`${name} is in service (${c.state})`)
    const { suspended: _gone, ...rest } = c
    return done({ ...rest, state: c.suspended.state, since: ev.at })
  }
  const to = moves[c.state][ev.type]
  if (!to) {
    const accepted = Object.keys(moves[c.state]).join(', ') || 'only return_to_service'
    return invalid(`${name} is ${c.state}: cannot ${ev.type.replace(/_/g, ' ')} (accepts ${accepted})`)
  }
  switch (ev.type) {
    case 'reserve':
      return done({ ...c, state: to, since: ev.at, order: ev.order })
    case 'deposit': {
      // reserved always carries its order (set by reserve); the guard keeps the types honest.
      if (!c.order) return invalid(`${name} is reserved without an order`)
      return done({ ...c, state: to, since: ev.at, dueAt: effectiveDeadline(c.order, c.tempClass, ev.at, policy) })
    }
    case 'deadline_passed':
      if (c.dueAt === undefined || ev.at < c.dueAt) {
        return { ok: false, error: { code: 'deadline_not_reached', message: `${name} is not due until ${iso(c.dueAt)}` } }
      }
      return done({ ...c, state: to, since: ev.at })
    case 'cancel':
    case 'release':
      return done(withoutOrder({ ...c, state: to, since: ev.at }))
    default:
      return done({ ...c, state: to, since: ev.at })
  }
}

/** Moves a loaded compartment to overdue once `now` reaches its due time; otherwise returns it unchanged. */
export function checkDeadline(c: Compartment, now: number): Compartment {
  if (c.state !== 'loaded' || c.dueAt === undefined || now < c.dueAt) return c
  const r = apply(c, { type: 'deadline_passed', at: now })
  return r.ok ? r.compartment : c
}

function withoutOrder(c: Compartment): Compartment {
  const { order: _o, dueAt: _d, ...rest } = c
  return rest
}

function done(compartment: Compartment): TransitionResult {
  return { ok: true, compartment }
}

function invalid(message: string): TransitionResult {
  return { ok: false, error: { code: 'invalid_transition', message } }
}

function iso(t: number | undefined): string {
  return t === undefined ? 'an unknown time' : new Date(t).toISOString()
}

/**
 * What a door closing means for the compartment, from the occupancy sensor and who opened it:
 * a reserved compartment closed with goods inside is a deposit; a loaded or overdue one closed
 * empty is a pickup (customer code) or a return (staff). Anything else changes nothing.
 */
export function eventForDoorClosed(
  c: Compartment,
  occupied: boolean,
  openedBy: 'code' | 'staff' | 'command' | undefined,
  at: number,
): CompartmentEvent | undefined {
  if (c.state === 'reserved' && occupied) return { type: 'deposit', at }
  if ((c.state === 'loaded' || c.state === 'overdue') && !occupied) {
    if (openedBy === 'staff' && c.state === 'overdue') return { type: 'staff_removed', at }
    return { type: 'pickup', at }
  }
  return undefined
}
