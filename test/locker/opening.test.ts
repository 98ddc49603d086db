import { describe, expect, it } from 'vitest'
import { ManualClock } from '../../gateway/core/clock.ts'
import { PickupCodes } from '../../devices/locker/pickupCodes.ts'
import { openByCode, openByCommand, openByStaff } from '../../devices/locker/opening.ts'

describe('opening a compartment', () => {
  it('opens the order\'s compartment for the right code', () => {
    const clock = new ManualClock()
    const codes = new PickupCodes({ secret: 'test-secret-at-least-16-bytes', clock })
    const { code } = codes.issue({ id: 'O1', locker: 'K1', slot: 7 })
    const d = openByCode(codes, 'K1', code, clock)
    expect(d).toMatchObject({ ok: true, request: { locker: 'K1', slot: 7, reason: { by: 'code', orderId: 'O1' } } })
  })

  it('tells the customer why a used code does not open anything', () => {
    const clock = new ManualClock()
    const codes = new PickupCodes({ secret: 'test-secret-at-least-16-bytes', clock })
    const { code } = codes.issue({ id: 'O1', locker: 'K1', slot: 7 })
    openByCode(codes, 'K1', code, clock)
    expect(openByCode(codes, 'K1', code, clock)).toMatchObject({ ok: false, reason: 'used', message: 'this code has already been used' })
  })

  it('records who opened a compartment by staff override, why and when', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 9))
    const d = openByStaff({ who: 'li.wei', why: 'customer lost code, ID checked', locker: 'K1', slot: 7 }, clock)
    expect(d.ok && d.request.reason).toEqual({
      by: 'staff',
      audit: { action: 'staff_override', who: 'li.wei', why: 'customer lost code, ID checked', at: Date.UTC(2026, 0, 1, 9), locker: 'K1', slot: 7 },
    })
  })

  it('refuses a staff override without a reason', () => {
    const d = openByStaff({ who: 'li.wei', why: '  ', locker: 'K1', slot: 7 }, new ManualClock())
    expect(d).toMatchObject({ ok: false, reason: 'audit_incomplete' })
  })

  it('opens by command, naming the caller', () => {
    const d = openByCommand({ locker: 'K1', slot: 2, source: 'node-red' }, new ManualClock())
    expect(d.ok && d.request.reason).toEqual({ by: 'command', source: 'node-red' })
  })
})
