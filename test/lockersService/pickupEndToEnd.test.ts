/** Issue 7's end-to-end story through a real gateway, real MQTT clients and the REST API. */
import { afterEach, describe, expect, it } from 'vitest'
import type { MqttClient } from 'mqtt'
import { collect, eventually, type Harness } from '../support/gatewayHarness.ts'
import { createLockersService } from '../../gateway/lockers/service.ts'
import { staffService } from '../../gateway/staff/service.ts'
import { createAlertsService } from '../../gateway/alerts/service.ts'
import { startStaffHarness, type Client, type StaffHarness } from '../staff/staffHarness.ts'
import type { ConditionChange } from '../../gateway/contract/conditions.ts'

let h: Harness | undefined
let sh: StaffHarness | undefined
let staff: Client | undefined
afterEach(async () => {
  await sh?.stop()
  sh = undefined
  h = undefined
})

/** A gateway with the lockers and staff services, and a staff member (the store manager) logged in. */
async function startLockers(): Promise<Harness> {
  sh = await startStaffHarness({ services: [createAlertsService({ dispatchMs: 50 }), createLockersService({ tickMs: 50 }), staffService] })
  staff = await sh.login('wang')
  return sh.h
}

const json = async (r: Response) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> })

/** Staff and courier routes go with the staff login; the customer's pickup by code needs none. */
const api = (hh: Harness, path: string, body?: unknown) => {
  if (path.endsWith('/pickup')) {
    return fetch(`http://127.0.0.1:${hh.gw.ports.http}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(json)
  }
  return (body === undefined ? (staff as Client).get(path) : (staff as Client).post(path, body)).then(json)
}

/** A lock board on MQTT: opens a door when told to, and lets it close again. */
async function lockBoard(hh: Harness): Promise<{ client: MqttClient; commands: { topic: string; payload: string }[] }> {
  const client = await hh.connect('locker-k1')
  const commands: { topic: string; payload: string }[] = []
  client.on('message', (topic, payload) => {
    commands.push({ topic, payload: payload.toString() })
    const slot = topic.split('/')[5]
    const ev = (type: string) => client.publishAsync(`shelfgate/s1/locker/K1/${slot}/event`, JSON.stringify({ type }), { qos: 1 })
    void ev('door_opened').then(() => ev('vacant')).then(() => ev('door_closed')).catch(() => {}) // the test may end first
  })
  await client.subscribeAsync('shelfgate/s1/cmd/locker/K1/#', { qos: 1 })
  return { client, commands }
}

describe('pickup lockers in the running gateway', () => {
  it('refuses the staff and courier routes without a staff login, but keeps the customer pickup open', async () => {
    h = await startLockers()
    const anon = (path: string) => fetch(`http://127.0.0.1:${h!.gw.ports.http}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orderId: 'GB-9', tempClass: 'ambient' }) })
    expect((await anon('/api/lockers/K1/orders')).status).toBe(401)
    expect((await anon('/api/lockers/K1/compartments/3/open')).status).toBe(401)
    expect((await anon('/api/lockers/K1/pickup')).status).toBe(400) // no code: refused as invalid, not as unauthenticated
  })

  it('lets a customer collect a deposited order with the code: unlock reaches the board, the door cycle records the pickup and empties the compartment', async () => {
    h = await startLockers()
    const board = await lockBoard(h)
    const ops = await h.connect('ops')
    const seen = collect(ops)
    await ops.subscribeAsync(['shelfgate/s1/events/locker/#', 'shelfgate/s1/state/locker/K1/#'], { qos: 1 })

    const order = await api(h, '/api/lockers/K1/orders', { orderId: 'GB-1001', tempClass: 'ambient' })
    expect(order.status).toBe(201)
    expect(order.body.code).toMatch(/^\d{6}$/)
    const slot = order.body.slot as number
    expect(slot).toBeGreaterThan(2) // ambient goods do not take the chilled compartments 1 and 2
    expect((await api(h, `/api/lockers/K1/orders/GB-1001/deposit`, {})).status).toBe(200)

    const pickup = await api(h, '/api/lockers/K1/pickup', { code: order.body.code })
    expect(pickup).toEqual({ status: 200, body: { ok: true, slot, orderId: 'GB-1001' } })

    await eventually(() => board.commands.some((c) => c.topic === `shelfgate/s1/cmd/locker/K1/${slot}/unlock`), 5000, 'unlock command at the board')
    await eventually(() => seen.some((m) => m.topic === `shelfgate/s1/events/locker/K1/${slot}` && JSON.parse(m.payload).type === 'pickup'), 5000, 'pickup event')
    await eventually(() => h!.gw.shared.lockers!.lockers()[0]!.compartments[slot - 1]!.state === 'empty', 5000, 'compartment empty')

    const lastState = () => seen.filter((m) => m.topic === `shelfgate/s1/state/locker/K1/${slot}`).map((m) => JSON.parse(m.payload) as Record<string, unknown>).at(-1)
    await eventually(() => lastState()?.state === 'empty', 5000, 'retained state empty')
    expect(lastState()).toMatchObject({ slot, state: 'empty', doorOpen: false })
    expect(seen.filter((m) => m.topic === `shelfgate/s1/state/locker/K1/${slot}`).map((m) => JSON.parse(m.payload).state)).toContain('loaded')
    const stored = await h.gw.storage!.store.listEvents({ subject: `locker/K1/${slot}` })
    expect(stored.map((e) => e.type)).toEqual(['reserved', 'deposit', 'pickup', 'released'])
    // The code was used: a second try is refused.
    expect((await api(h, '/api/lockers/K1/pickup', { code: order.body.code })).status).toBe(403)
  })

  it('refuses a wrong code without unlocking anything', async () => {
    h = await startLockers()
    const board = await lockBoard(h)
    const order = await api(h, '/api/lockers/K1/orders', { orderId: 'GB-7', tempClass: 'chilled' })
    await api(h, '/api/lockers/K1/orders/GB-7/deposit', {})
    const wrong = String((Number(order.body.code) + 1) % 1_000_000).padStart(6, '0')
    const r = await api(h, '/api/lockers/K1/pickup', { code: wrong })
    expect(r).toMatchObject({ status: 403, body: { error: 'wrong_code' } })
    await new Promise((res) => setTimeout(res, 200))
    expect(board.commands).toEqual([])
  })

  it('alerts the staff when an order is not collected by its deadline', async () => {
    h = await startLockers()
    const conditions: ConditionChange[] = []
    h.gw.bus.on('condition', {}, (c) => void conditions.push(c))
    const deadline = Date.now() + 400
    const order = await api(h, '/api/lockers/K1/orders', { orderId: 'GB-LATE', tempClass: 'chilled', deadline })
    expect(order.body.slot).toBe(1) // chilled goods go to a chilled compartment
    await api(h, '/api/lockers/K1/orders/GB-LATE/deposit', {})
    await eventually(() => conditions.some((c) => c.rule === 'locker.overdue' && c.active), 5000, 'overdue condition')
    const c = conditions.find((x) => x.rule === 'locker.overdue')!
    expect(c).toMatchObject({ subject: 'locker/K1/1', severity: 'warning', area: 'lockers' })
    expect(h.gw.shared.lockers!.lockers()[0]!.compartments[0]!.state).toBe('overdue')
    // The staff see it: an open alert on the staff API (the alerts service stores it just after the
    // condition, so under load it can take a moment), and the store's WeCom robot got the message.
    type Listed = { alerts: { rule: string; subject: string; status: string }[] }
    const overdueAlert = async () => ((await (await staff!.get('/api/alerts')).json()) as Listed).alerts.find((a) => a.rule === 'locker.overdue' && a.subject === 'locker/K1/1')
    await eventually(async () => (await overdueAlert()) !== undefined, 5000, 'the overdue alert on the staff API')
    expect(await overdueAlert()).toMatchObject({ status: 'open' })
    await eventually(() => sh!.wecom.requests.length > 0, 5000, 'the WeCom robot message')
  })

  it('audits a staff override and refuses one that does not say who and why', async () => {
    h = await startLockers()
    const board = await lockBoard(h)
    expect((await api(h, '/api/lockers/K1/compartments/5/open', { who: '', why: 'x' })).status).toBe(400)
    expect((await api(h, '/api/lockers/K1/compartments/5/open', { who: 'Li Na', why: 'customer lost the code' })).status).toBe(200)
    await eventually(() => board.commands.some((c) => c.topic.endsWith('/K1/5/unlock')), 5000, 'unlock at the board')
    await eventually(async () => (await h!.gw.storage!.store.listAudit({})).some((a) => a.action === 'locker.staff_override'), 5000, 'audit row')
    const row = (await h.gw.storage!.store.listAudit({})).find((a) => a.action === 'locker.staff_override')
    expect(row).toMatchObject({ actor: 'Li Na', target: 'locker/K1/5', details: { why: 'customer lost the code' } })
  })
})
