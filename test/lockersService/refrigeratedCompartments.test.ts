/** Issue 7: a refrigerated compartment out of range raises a staff alert naming the order at risk. */
import { afterEach, describe, expect, it } from 'vitest'
import { createColdChainService } from '../../gateway/cold/service.ts'
import type { ConditionChange } from '../../gateway/contract/conditions.ts'
import { createLockersService } from '../../gateway/lockers/service.ts'
import { staffService } from '../../gateway/staff/service.ts'
import { eventually } from '../support/gatewayHarness.ts'
import { startStaffHarness, type StaffHarness } from '../staff/staffHarness.ts'

let sh: StaffHarness | undefined
afterEach(async () => {
  await sh?.stop()
  sh = undefined
})

describe('refrigerated locker compartments', () => {
  it('raises a compartment alert for each loaded compartment while its zone is out of range, and clears it on recovery', async () => {
    sh = await startStaffHarness({
      services: [createColdChainService({ tickMs: 50 }), createLockersService({ tickMs: 50 }), staffService],
      harness: {
        // The locker's chilled zone (compartments 1 and 2) has its own probe on cold-f1, with a short delay for the test.
        coldUnits: '[{ id: KZ, name: Locker chilled zone, class: cold-locker, device: cold-f1, readingIntervalS: 1, locker: { id: K1, slots: [1, 2] }, limits: { warningMin: 0.05, alarmMin: 10, doorGraceMin: 0 } }]',
      },
    })
    const h = sh.h
    const conditions: ConditionChange[] = []
    h.gw.bus.on('condition', conditions, (c) => void conditions.push(c))
    const staff = await sh.login('wang')
    const order = (await (await staff.post('/api/lockers/K1/orders', { orderId: 'GB-7', tempClass: 'chilled' })).json()) as { slot: number }
    expect([1, 2]).toContain(order.slot)
    expect((await staff.post('/api/lockers/K1/orders/GB-7/deposit', {})).status).toBe(200)

    const probe = await h.connect('cold-f1')
    const send = (c: number) => probe.publishAsync('shelfgate/s1/cold/KZ/temp', JSON.stringify({ c }), { qos: 1 })
    const compartment = () => conditions.filter((c) => c.rule === 'locker.compartment_temperature' && c.subject === `locker/K1/${order.slot}`)
    const timer = setInterval(() => void send(7.5).catch(() => {}), 300)
    try {
      await eventually(() => compartment().some((c) => c.active), 10_000, 'the compartment alert')
      expect(compartment().find((c) => c.active)?.message.params).toMatchObject({ orderId: 'GB-7' })
      // Only loaded compartments: the empty one in the same zone raises nothing.
      const other = order.slot === 1 ? 2 : 1
      expect(conditions.some((c) => c.rule === 'locker.compartment_temperature' && c.subject === `locker/K1/${other}`)).toBe(false)
    } finally {
      clearInterval(timer)
    }
    for (let i = 0; i < 4; i++) await send(3)
    await eventually(() => compartment().at(-1)?.active === false, 10_000, 'the compartment alert to clear')
  }, 30_000)
})
