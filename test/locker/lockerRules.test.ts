import { describe, expect, it } from 'vitest'
import { ManualClock } from '../../gateway/core/clock.ts'
import type { LockerEventReading } from '../../gateway/contract/readings.ts'
import type { LockerEventType } from '../../gateway/contract/payloads.ts'
import { LockerRules } from '../../gateway/rules/locker/lockerRules.ts'
import type { UnlockRequested } from '../../gateway/rules/locker/lockerInputs.ts'
import { apply, checkDeadline, newCompartment } from '../../devices/locker/compartment.ts'
import type { Compartment } from '../../devices/locker/compartment.ts'

const S = 1000
const MIN = 60 * S
const H = 60 * MIN

function setup() {
  const clock = new ManualClock()
  const rules = new LockerRules({ clock })
  const door = (type: LockerEventType, slot = 3): LockerEventReading => ({ kind: 'locker.event', device: 'board-bus-1', ts: clock.now(), locker: 'K1', slot, type })
  const unlock = (slot = 3): UnlockRequested => ({ kind: 'locker.unlock_requested', locker: 'K1', slot, at: clock.now(), by: 'code' })
  /** Advance in 1 s steps, ticking the rules as the gateway's rule timer would. */
  const wait = (ms: number) => {
    const out = []
    for (let t = 0; t < ms; t += S) {
      clock.advance(S)
      out.push(...rules.tick())
    }
    return out
  }
  return { clock, rules, door, unlock, wait }
}

describe('locker rules', () => {
  it('raises door ajar after the door has stood open for more than 60 s and clears it when it closes', () => {
    const { rules, door, unlock, wait } = setup()
    rules.handle(unlock())
    rules.handle(door('door_opened'))
    expect(wait(60 * S)).toEqual([])
    const raised = wait(1 * S)
    expect(raised).toEqual([expect.objectContaining({ rule: 'locker.door_ajar', subject: 'locker/K1/3', active: true, area: 'lockers', value: 61 })])
    expect(rules.handle(door('door_closed'))).toEqual([expect.objectContaining({ rule: 'locker.door_ajar', active: false })])
  })

  it('uses a configured door-ajar delay', () => {
    const clock = new ManualClock()
    const rules = new LockerRules({ clock, doorAjarMs: 10 * S })
    rules.handle({ kind: 'locker.unlock_requested', locker: 'K1', slot: 1, at: clock.now(), by: 'staff' })
    rules.handle({ kind: 'locker.event', device: 'd', ts: clock.now(), locker: 'K1', slot: 1, type: 'door_opened' })
    clock.advance(11 * S)
    expect(rules.tick().map((c) => c.rule)).toEqual(['locker.door_ajar'])
  })

  it('raises unlock failed when the door has not opened 10 s after the unlock', () => {
    const { rules, unlock, wait } = setup()
    rules.handle(unlock())
    expect(wait(10 * S)).toEqual([])
    expect(wait(1 * S)).toEqual([expect.objectContaining({ rule: 'locker.unlock_failed', subject: 'locker/K1/3', active: true, severity: 'warning' })])
  })

  it('clears unlock failed when the door opens after all', () => {
    const { rules, door, unlock, wait } = setup()
    rules.handle(unlock())
    wait(15 * S)
    expect(rules.handle(door('door_opened'))).toContainEqual(expect.objectContaining({ rule: 'locker.unlock_failed', active: false }))
  })

  it('raises unlock failed at once when the board reports it', () => {
    const { rules, door, unlock } = setup()
    rules.handle(unlock())
    expect(rules.handle(door('unlock_failed'))).toEqual([expect.objectContaining({ rule: 'locker.unlock_failed', active: true })])
  })

  it('does not expect an already open door to open again after an unlock', () => {
    const { rules, door, unlock, wait } = setup()
    rules.handle(unlock())
    rules.handle(door('door_opened'))
    rules.handle(unlock())
    expect(wait(20 * S).filter((c) => c.rule === 'locker.unlock_failed')).toEqual([])
  })

  it('raises a critical forced-open alert for a door that opens without any unlock', () => {
    const { rules, door } = setup()
    expect(rules.handle(door('door_opened'))).toEqual([
      expect.objectContaining({ rule: 'locker.forced', subject: 'locker/K1/3', active: true, severity: 'critical' }),
    ])
  })

  it('accepts a door opening right after an unlock, and only one opening per unlock', () => {
    const { rules, door, unlock, wait } = setup()
    rules.handle(unlock())
    wait(3 * S)
    expect(rules.handle(door('door_opened')).filter((c) => c.rule === 'locker.forced')).toEqual([])
    rules.handle(door('door_closed'))
    expect(rules.handle(door('door_opened')).map((c) => c.rule)).toEqual(['locker.forced'])
  })

  it('treats a door opening long after its unlock as forced', () => {
    const { rules, door, unlock, wait } = setup()
    rules.handle(unlock())
    wait(31 * S)
    expect(rules.handle(door('door_opened')).map((c) => c.rule)).toContain('locker.forced')
  })

  it('accepts an opening the locker itself reported as unlocked (its own keypad)', () => {
    const { rules, door } = setup()
    rules.handle(door('unlocked'))
    expect(rules.handle(door('door_opened'))).toEqual([])
  })

  it('raises overdue when a loaded order passes its deadline and clears it when staff take the goods back', () => {
    const { clock, rules, wait } = setup()
    let c: Compartment = newCompartment('K1', 3, 'ambient', clock.now())
    const step = (ev: Parameters<typeof apply>[1]) => {
      const r = apply(c, ev)
      if (!r.ok) throw new Error(r.error.message)
      c = r.compartment
      return rules.handle({ kind: 'locker.compartment', compartment: c })
    }
    step({ type: 'reserve', at: clock.now(), order: { id: 'O1', tempClass: 'ambient', deadline: clock.now() + H } })
    step({ type: 'deposit', at: clock.now() })
    expect(wait(H - S)).toEqual([])
    expect(wait(S)).toEqual([expect.objectContaining({ rule: 'locker.overdue', subject: 'locker/K1/3', active: true, severity: 'warning' })])
    c = checkDeadline(c, clock.now())
    expect(rules.handle({ kind: 'locker.compartment', compartment: c })).toEqual([])
    expect(step({ type: 'staff_removed', at: clock.now() })).toEqual([expect.objectContaining({ rule: 'locker.overdue', active: false })])
  })

  it('raises a critical overdue 2 h after chilled goods were left in an ambient compartment', () => {
    const { clock, rules, wait } = setup()
    const c0 = newCompartment('K1', 3, 'ambient', clock.now())
    const r1 = apply(c0, { type: 'reserve', at: clock.now(), order: { id: 'O1', tempClass: 'chilled', deadline: clock.now() + 24 * H } })
    const r2 = r1.ok ? apply(r1.compartment, { type: 'deposit', at: clock.now() }) : r1
    if (!r2.ok) throw new Error('setup failed')
    rules.handle({ kind: 'locker.compartment', compartment: r2.compartment })
    expect(wait(2 * H)).toEqual([expect.objectContaining({ rule: 'locker.overdue', severity: 'critical' })])
  })

  it('raises code brute force for a locked order and clears it when the lock ends', () => {
    const { clock, rules, wait } = setup()
    const raised = rules.handle({
      kind: 'locker.lockout',
      notice: { type: 'order_locked', locker: 'K1', slot: 3, orderId: 'O1', until: clock.now() + 15 * MIN, failures: 5, at: clock.now() },
    })
    expect(raised).toEqual([expect.objectContaining({ rule: 'locker.code_bruteforce', subject: 'locker/K1/3', active: true, value: 5 })])
    expect(wait(15 * MIN)).toEqual([expect.objectContaining({ rule: 'locker.code_bruteforce', active: false })])
  })

  it('raises a critical code brute force for the whole locker when its keypad locks', () => {
    const { clock, rules } = setup()
    const raised = rules.handle({
      kind: 'locker.lockout',
      notice: { type: 'keypad_locked', locker: 'K1', until: clock.now() + 10 * MIN, failures: 20, at: clock.now() },
    })
    expect(raised).toEqual([expect.objectContaining({ subject: 'locker/K1', severity: 'critical' })])
  })
})
