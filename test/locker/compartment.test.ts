import { describe, expect, it } from 'vitest'
import type { Compartment, CompartmentEvent } from '../../devices/locker/compartment.ts'
import { apply, checkDeadline, eventForDoorClosed, newCompartment } from '../../devices/locker/compartment.ts'

const T0 = Date.UTC(2026, 0, 1, 8)
const H = 3_600_000
const order = { id: 'O1', tempClass: 'ambient' as const, deadline: T0 + 24 * H }

function run(c: Compartment, ...events: CompartmentEvent[]): Compartment {
  for (const ev of events) {
    const r = apply(c, ev)
    if (!r.ok) throw new Error(r.error.message)
    c = r.compartment
  }
  return c
}

describe('compartment state machine', () => {
  it('takes an order from reservation through deposit and pickup back to empty', () => {
    let c = newCompartment('K1', 3, 'ambient', T0)
    c = run(c, { type: 'reserve', at: T0, order })
    expect(c.state).toBe('reserved')
    c = run(c, { type: 'deposit', at: T0 + H })
    expect(c.state).toBe('loaded')
    expect(c.dueAt).toBe(order.deadline)
    c = run(c, { type: 'pickup', at: T0 + 2 * H })
    expect(c.state).toBe('collected')
    c = run(c, { type: 'release', at: T0 + 2 * H })
    expect(c).toMatchObject({ state: 'empty' })
    expect(c.order).toBeUndefined()
  })

  it('marks an uncollected order overdue at its deadline, and staff can return it', () => {
    let c = run(newCompartment('K1', 3, 'ambient', T0), { type: 'reserve', at: T0, order }, { type: 'deposit', at: T0 })
    expect(checkDeadline(c, order.deadline - 1).state).toBe('loaded')
    c = checkDeadline(c, order.deadline)
    expect(c.state).toBe('overdue')
    c = run(c, { type: 'staff_removed', at: order.deadline + H })
    expect(c.state).toBe('returned')
    expect(run(c, { type: 'release', at: order.deadline + H }).state).toBe('empty')
  })

  it('lets a late customer still collect an overdue order', () => {
    const c = checkDeadline(run(newCompartment('K1', 3, 'ambient', T0), { type: 'reserve', at: T0, order }, { type: 'deposit', at: T0 }), order.deadline)
    expect(run(c, { type: 'pickup', at: order.deadline + H }).state).toBe('collected')
  })

  it('gives chilled goods in an ambient compartment a deadline 2 hours after deposit', () => {
    const chilled = { ...order, tempClass: 'chilled' as const }
    const c = run(newCompartment('K1', 3, 'ambient', T0), { type: 'reserve', at: T0, order: chilled }, { type: 'deposit', at: T0 + H })
    expect(c.dueAt).toBe(T0 + 3 * H)
  })

  it('keeps the promised deadline for chilled goods in a chilled compartment', () => {
    const chilled = { ...order, tempClass: 'chilled' as const }
    const c = run(newCompartment('K1', 3, 'chilled', T0), { type: 'reserve', at: T0, order: chilled }, { type: 'deposit', at: T0 + H })
    expect(c.dueAt).toBe(order.deadline)
  })

  it('uses a configured holding time for goods in a too-warm compartment', () => {
    const frozen = { ...order, tempClass: 'frozen' as const }
    let c = run(newCompartment('K1', 3, 'chilled', T0), { type: 'reserve', at: T0, order: frozen })
    const r = apply(c, { type: 'deposit', at: T0 }, { warmerCompartmentMaxMs: 30 * 60_000 })
    expect(r.ok && r.compartment.dueAt).toBe(T0 + 30 * 60_000)
  })

  it('refuses a pickup from an empty compartment with a message naming the state', () => {
    const r = apply(newCompartment('K1', 3, 'ambient', T0), { type: 'pickup', at: T0 })
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.error.code).toBe('invalid_transition')
      expect(r.error.message).toContain('K1/3 is empty: cannot pickup')
    }
  })

  it('refuses to reserve a compartment that already holds an order', () => {
    const c = run(newCompartment('K1', 3, 'ambient', T0), { type: 'reserve', at: T0, order })
    const r = apply(c, { type: 'reserve', at: T0, order: { ...order, id: 'O2' } })
    expect(r.ok).toBe(false)
  })

  it('refuses to mark an order overdue before its deadline', () => {
    const c = run(newCompartment('K1', 3, 'ambient', T0), { type: 'reserve', at: T0, order }, { type: 'deposit', at: T0 })
    const r = apply(c, { type: 'deadline_passed', at: order.deadline - 1 })
    expect(r.ok ? 'ok' : r.error.code).toBe('deadline_not_reached')
  })

  it('takes a compartment out of service and returns it to the state it left', () => {
    const loaded = run(newCompartment('K1', 3, 'ambient', T0), { type: 'reserve', at: T0, order }, { type: 'deposit', at: T0 })
    const broken = run(loaded, { type: 'take_out_of_service', at: T0 + H, reason: 'lock jammed' })
    expect(broken.state).toBe('out_of_service')
    expect(apply(broken, { type: 'pickup', at: T0 + H }).ok).toBe(false)
    const back = run(broken, { type: 'return_to_service', at: T0 + 2 * H })
    expect(back.state).toBe('loaded')
    expect(back.order?.id).toBe('O1')
  })

  it('reads a door closing with goods inside as a deposit and closing empty as a pickup or a return', () => {
    const reserved = run(newCompartment('K1', 3, 'ambient', T0), { type: 'reserve', at: T0, order })
    expect(eventForDoorClosed(reserved, true, 'command', T0)?.type).toBe('deposit')
    expect(eventForDoorClosed(reserved, false, 'command', T0)).toBeUndefined()
    const loaded = run(reserved, { type: 'deposit', at: T0 })
    expect(eventForDoorClosed(loaded, false, 'code', T0)?.type).toBe('pickup')
    const overdue = checkDeadline(loaded, order.deadline)
    expect(eventForDoorClosed(overdue, false, 'staff', T0)?.type).toBe('staff_removed')
  })
})
