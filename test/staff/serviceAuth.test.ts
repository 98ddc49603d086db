/** Service accounts (kind 'service' in the device credentials file) use the REST API with HTTP Basic auth. */
import { afterEach, describe, expect, it } from 'vitest'
import { createLockersService } from '../../gateway/lockers/service.ts'
import { staffService } from '../../gateway/staff/service.ts'
import { startStaffHarness, type StaffHarness } from './staffHarness.ts'

let sh: StaffHarness | undefined
afterEach(async () => {
  await sh?.stop()
  sh = undefined
})

const basic = (id: string, password: string) => `Basic ${Buffer.from(`${id}:${password}`).toString('base64')}`

async function createOrder(s: StaffHarness, authorization: string, orderId: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${s.base}/api/lockers/K1/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({ orderId, tempClass: 'ambient' }),
    signal: AbortSignal.timeout(5000),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

describe('service accounts on the REST API', () => {
  it('lets a service account assign an order with Basic auth, without a cookie or CSRF token', async () => {
    sh = await startStaffHarness({ services: [createLockersService({ tickMs: 50 }), staffService] })
    const order = await createOrder(sh, basic('ops', sh.h.passwords.ops as string), 'GB-2001')
    expect(order.status).toBe(201)
    expect(order.body.code).toMatch(/^\d{6}$/)
  })

  it('refuses a service account with a wrong password', async () => {
    sh = await startStaffHarness({ services: [createLockersService({ tickMs: 50 }), staffService] })
    const order = await createOrder(sh, basic('ops', 'not-the-password'), 'GB-2002')
    expect(order.status).toBe(401)
  })

  it('refuses a device account even with its right password', async () => {
    sh = await startStaffHarness({ services: [createLockersService({ tickMs: 50 }), staffService] })
    const device = Object.keys(sh.h.passwords).find((id) => id !== 'ops') as string
    const order = await createOrder(sh, basic(device, sh.h.passwords[device] as string), 'GB-2003')
    expect(order.status).toBe(401)
  })
})
