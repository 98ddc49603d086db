/** The locker model with fake time: deadlines and what a door closing means. */
import { describe, expect, it } from 'vitest'
import { ManualClock } from '../../gateway/core/clock.ts'
import { PickupCodes } from '../../devices/locker/pickupCodes.ts'
import { LockerModel } from '../../gateway/lockers/lockerModel.ts'
import type { LockerConfig } from '../../gateway/config/schema.ts'

const K1: LockerConfig = { id: 'K1', name: 'Locker', compartments: { count: 4, chilled: [1], frozen: [] }, pickupDeadlineHours: { ambient: 24, chilled: 8, frozen: 8 } }
const H = 3600_000

function model() {
  const clock = new ManualClock(Date.UTC(2026, 10, 1, 8))
  const codes = new PickupCodes({ secret: 'a-test-secret-of-32-bytes-length', clock })
  return { clock, m: new LockerModel({ lockers: [K1], clock, codes }) }
}

describe('locker orders with fake time', () => {
  it('makes chilled goods left in an ambient compartment overdue after 2 hours, as a critical condition', () => {
    const { clock, m } = model()
    m.createOrder({ locker: 'K1', orderId: 'O1', tempClass: 'chilled', deadline: clock.now() + 8 * H, slot: 2 }) // slot 2 is ambient
    m.deposit('K1', 'O1')
    clock.advance(2 * H - 1000)
    expect(m.tick().conditions).toEqual([])
    clock.advance(1000)
    const fx = m.tick()
    expect(fx.events).toContainEqual(expect.objectContaining({ type: 'overdue', slot: 2, orderId: 'O1' }))
    expect(fx.conditions).toContainEqual(expect.objectContaining({ rule: 'locker.overdue', subject: 'locker/K1/2', active: true, severity: 'critical' }))
  })

  it('does not count a door closing after a staff opening as the customer’s pickup', () => {
    const { clock, m } = model()
    m.createOrder({ locker: 'K1', orderId: 'O2', tempClass: 'ambient', deadline: clock.now() + 24 * H })
    const slot = m.deposit('K1', 'O2')
    expect(slot.ok).toBe(true)
    const s = slot.ok ? slot.slot : 0
    m.staffOpen({ locker: 'K1', slot: s, who: 'Wang', why: 'check the bag' })
    const reading = (type: 'door_opened' | 'door_closed') => ({ kind: 'locker.event' as const, device: 'locker-k1', ts: clock.now(), locker: 'K1', slot: s, type })
    m.reading(reading('door_opened'))
    const fx = m.reading(reading('door_closed'))
    expect(fx.events).toEqual([])
    expect(m.compartment('K1', s)?.state).toBe('loaded')
  })
})
