/**
 * Issue 7's end-to-end story with the real RS485 path: gateway (lockers + staff services) ⇄ MQTT ⇄
 * lock-board adapter logged in as locker-k1 ⇄ socat pty ⇄ emulated lock board. Order → deposit →
 * code → customer enters the code through the API → unlock frame at the board → door opens and
 * closes → the adapter's events → the lockers service records the pickup → compartment empty.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { resolveAdapters } from '../../devices/adapters/config.ts'
import { runAdapters } from '../../devices/adapters/run.ts'
import { encodeRequest, hex } from '../../devices/locker/lockBoard/frame.ts'
import { createLockersService } from '../../gateway/lockers/service.ts'
import { staffService } from '../../gateway/staff/service.ts'
import { collect, eventually } from '../support/gatewayHarness.ts'
import { startStaffHarness } from '../staff/staffHarness.ts'
import { lockerLine } from './lockBoardRig.ts'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {})
})

const json = async (r: Response) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> })

describe('pickup through the RS485 lock board', () => {
  it('collects a deposited order by code: the unlock frame reaches the emulated board and its door cycle empties the compartment', async () => {
    const line = await lockerLine({ boards: [1], closeAfterMs: 400 })
    cleanups.push(() => line.cleanup())
    const sh = await startStaffHarness({ services: [createLockersService({ tickMs: 50 }), staffService] })
    cleanups.push(() => sh.stop())
    const h = sh.h
    const staff = await sh.login('wang')
    const ops = await h.connect('ops')
    const seen = collect(ops)
    await ops.subscribeAsync(['shelfgate/s1/events/locker/#', 'shelfgate/s1/locker/K1/#', 'shelfgate/s1/device/locker-k1/status'], { qos: 1 })

    const adapters = await runAdapters({
      store: h.config,
      adapters: resolveAdapters([{ id: 'k1-boards', kind: 'lock-board', device: 'locker-k1', locker: 'K1', port: line.port, boards: [1], pollMs: 50 }], h.config),
      url: h.url,
      credentials: h.passwords,
    })
    cleanups.push(() => adapters.stop())
    await eventually(() => seen.some((m) => m.topic.endsWith('/device/locker-k1/status') && JSON.parse(m.payload).online === true), 5000, 'lock board online')

    const o = await json(await staff.post('/api/lockers/K1/orders', { orderId: 'GB-2001', tempClass: 'ambient' }))
    expect(o.status).toBe(201)
    const slot = o.body.slot as number
    const code = o.body.code as string
    expect((await staff.post('/api/lockers/K1/orders/GB-2001/deposit', {})).status).toBe(200)
    expect(h.gw.shared.lockers!.lockers()[0]!.compartments[slot - 1]!.state).toBe('loaded')
    expect(line.framesAtBoard().filter((f) => f.startsWith('8A'))).toEqual([]) // nothing unlocked yet

    const pickup = await fetch(`${sh.base}/api/lockers/K1/pickup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) }).then(json)
    expect(pickup).toEqual({ status: 200, body: { ok: true, slot, orderId: 'GB-2001' } })

    await eventually(() => line.framesAtBoard().includes(hex(encodeRequest({ type: 'unlock', board: 1, lock: slot }))), 5000, 'unlock frame at the board')
    const events = () => seen.filter((m) => m.topic === `shelfgate/s1/locker/K1/${slot}/event`).map((m) => JSON.parse(m.payload).type as string)
    await eventually(() => events().includes('door_opened'), 5000, 'door_opened from the adapter')
    await eventually(() => events().includes('door_closed'), 5000, 'door_closed from the adapter')
    expect(events()).toEqual(['unlocked', 'door_opened', 'door_closed'])

    await eventually(() => seen.some((m) => m.topic === `shelfgate/s1/events/locker/K1/${slot}` && JSON.parse(m.payload).type === 'pickup'), 5000, 'pickup event')
    await eventually(() => h.gw.shared.lockers!.lockers()[0]!.compartments[slot - 1]!.state === 'empty', 5000, 'compartment empty')
    const stored = await h.gw.storage!.store.listEvents({ subject: `locker/K1/${slot}` })
    expect(stored.map((e) => e.type)).toEqual(['reserved', 'deposit', 'pickup', 'released'])
    // Exactly one unlock went over the wire, to the compartment's lock.
    expect(line.framesAtBoard().filter((f) => f.startsWith('8A'))).toEqual([hex(encodeRequest({ type: 'unlock', board: 1, lock: slot }))])
  })
})
