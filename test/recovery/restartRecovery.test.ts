/**
 * Issue 4 item 4: after a restart on the same data dir, shelf counts, the open cold excursion and the
 * locker compartments are back, and each service republishes its retained state topics. The broker's
 * own retained store (broker.db) is deleted between the runs, so every retained state message seen
 * after the restart was published again by a service.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { collect, eventually, startHarness, type Harness } from '../support/gatewayHarness.ts'
import { createShelvesService } from '../../gateway/shelves/service.ts'
import { createColdChainService } from '../../gateway/cold/service.ts'
import { createLockersService } from '../../gateway/lockers/service.ts'
import { HaccpStore } from '../../gateway/haccp/store.ts'

const MIN = 60_000
let h: Harness | undefined
let root: string | undefined
afterEach(async () => {
  await h?.stop()
  h = undefined
  if (root) rmSync(root, { recursive: true, force: true })
  root = undefined
})

// This test is about recovery, not logins: the locker staff routes get an open guard here
// (test/lockersService covers the staff login on those routes).
const openGuard = async () => {}
const services = () => [createShelvesService({ tickMs: 50 }), createColdChainService({ tickMs: 50 }), createLockersService({ tickMs: 50, staffGuard: openGuard })]
const post = (hh: Harness, path: string, body: unknown) =>
  fetch(`http://127.0.0.1:${hh.gw.ports.http}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(
    async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }),
  )

describe('restart recovery', () => {
  it('brings back the shelf count, the open excursion and the loaded compartment, republishes their retained state, and the issued code still opens the door', async () => {
    root = mkdtempSync(join(tmpdir(), 'shelfgate-recovery-'))
    const dataDir = join(root, 'data')
    h = await startHarness({ dataDir, gateway: { services: services() } })

    // A shelf lane holding 10 cartons of milk (262 g), steady for 3 s.
    const shelf = await h.connect('shelf-a1')
    const t0 = Date.now() - 10_000
    for (let i = 0; i < 16; i++) await shelf.publishAsync('shelfgate/s1/shelf/A1/L1/weight', JSON.stringify({ g: 2620 + (i % 2), ts: t0 + i * 200 }), { qos: 1 })
    await eventually(() => h!.gw.shared.shelves!.lanes().find((l) => l.lane === 'L1' && l.shelf === 'A1')?.count === 10, 5000, 'count 10')

    // The fridge has been at 7 °C for 20 minutes: an open excursion.
    const fridge = await h.connect('cold-f1')
    const c0 = Date.now() - 25 * MIN
    for (let i = 0; i <= 50; i++) await fridge.publishAsync('shelfgate/s1/cold/F1/temp', JSON.stringify({ c: i < 10 ? 3 : 7, ts: c0 + i * 30_000 }), { qos: 1 })
    await eventually(() => h!.gw.shared.cold!.units()[0]!.status === 'warning', 5000, 'excursion warning')
    const haccp = () => new HaccpStore(h!.gw.storage!.store.db)
    await eventually(async () => (await haccp().openExcursion('F1')) !== undefined, 5000, 'open HACCP row')
    const excursionStart = (await haccp().openExcursion('F1'))!.start

    // A group-buy order deposited in the locker.
    const order = await post(h, '/api/lockers/K1/orders', { orderId: 'GB-42', tempClass: 'ambient' })
    expect(order.status).toBe(201)
    expect((await post(h, '/api/lockers/K1/orders/GB-42/deposit', {})).status).toBe(200)
    const slot = order.body.slot as number

    await h.stop()
    h = undefined
    rmSync(join(dataDir, 'broker.db'), { force: true })
    rmSync(join(dataDir, 'broker.db-wal'), { force: true })
    rmSync(join(dataDir, 'broker.db-shm'), { force: true })

    h = await startHarness({ dataDir, gateway: { services: services() } })
    const ops = await h.connect('ops')
    const got = collect(ops)
    await ops.subscribeAsync('shelfgate/s1/state/#', { qos: 1 })
    // Live or as retained, depending on whether the service published before or after this subscription.
    const retained = (topic: string) => got.filter((m) => m.topic === topic).map((m) => JSON.parse(m.payload) as Record<string, unknown>).at(-1)
    await eventually(() => retained(`shelfgate/s1/state/locker/K1/${slot}`) !== undefined && retained('shelfgate/s1/state/cold/F1') !== undefined && retained('shelfgate/s1/state/shelf/A1/L1') !== undefined, 5000, 'retained state republished')

    expect(retained('shelfgate/s1/state/shelf/A1/L1')).toMatchObject({ count: 10, capacity: 24 })
    expect(retained('shelfgate/s1/state/cold/F1')).toMatchObject({ status: 'warning', excursion: { start: excursionStart, end: null } })
    expect(retained(`shelfgate/s1/state/locker/K1/${slot}`)).toMatchObject({ state: 'loaded', orderId: 'GB-42' })
    expect(h.gw.shared.shelves!.lanes().find((l) => l.shelf === 'A1' && l.lane === 'L1')?.count).toBe(10)
    expect(h.gw.shared.cold!.units()[0]).toMatchObject({ status: 'warning', tempC: 7 })
    // …and they are retained: a client subscribing now gets them from the broker.
    const late = await h.connect('ops', { clientId: 'ops-late' })
    const lateGot = collect(late)
    await late.subscribeAsync(['shelfgate/s1/state/shelf/A1/L1', 'shelfgate/s1/state/cold/F1', `shelfgate/s1/state/locker/K1/${slot}`], { qos: 1 })
    await eventually(() => lateGot.filter((m) => m.retain).length === 3, 3000, 'three retained states')
    // One HACCP row for the excursion, not a second one from the replay.
    expect(await haccp().excursions('F1', excursionStart - MIN, Date.now())).toHaveLength(1)

    // The code handed out before the restart still works, once.
    const pickup = await post(h, '/api/lockers/K1/pickup', { code: order.body.code })
    expect(pickup).toMatchObject({ status: 200, body: { slot, orderId: 'GB-42' } })
  })
})
