/** Shelves wired into a running gateway, and the lane tracker's restart reconciliation with fake time. */
import { afterEach, describe, expect, it } from 'vitest'
import { collect, eventually, startHarness, type Harness } from '../support/gatewayHarness.ts'
import { createShelvesService } from '../../gateway/shelves/service.ts'
import { LaneTracker } from '../../gateway/shelves/laneTracker.ts'
import type { ConditionChange } from '../../gateway/contract/conditions.ts'
import type { ShelfConfig } from '../../gateway/config/schema.ts'

let h: Harness | undefined
afterEach(async () => {
  await h?.stop()
  h = undefined
})

const milkShelf: ShelfConfig = { id: 'A1', lanes: [{ id: 'L1', name: 'Milk', unitWeight: 262, capacity: 24, restockAt: 6, leadTimeMin: 30 }] }
const steady = (t: LaneTracker, g: number, from: number, n = 16) => {
  const out = []
  for (let i = 0; i < n; i++) out.push(t.push({ ts: from + i * 200, g }))
  return out
}

describe('shelves in the running gateway', () => {
  it('turns a customer taking 2 cartons into a pick event, a retained count and a low-stock condition', async () => {
    h = await startHarness({ gateway: { services: [createShelvesService({ tickMs: 50, eventBatchMs: 50 })] } })
    const conditions: ConditionChange[] = []
    h.gw.bus.on('condition', {}, (c) => void conditions.push(c))
    const ops = await h.connect('ops')
    const got = collect(ops)
    await ops.subscribeAsync(['shelfgate/s1/events/shelf/A1/L1', 'shelfgate/s1/state/shelf/A1/L1'], { qos: 1 })
    const shelf = await h.connect('shelf-a1')
    const t0 = Date.now() - 20_000
    const weight = (g: number, ts: number) => shelf.publishAsync('shelfgate/s1/shelf/A1/L1/weight', JSON.stringify({ g, ts }), { qos: 1 })
    for (let i = 0; i < 16; i++) await weight(8 * 262, t0 + i * 200) // 8 cartons
    for (let i = 0; i < 40; i++) await weight(6 * 262, t0 + 4000 + i * 200) // 2 taken: 6 left, at the restock point, for 8 s
    await eventually(() => got.some((m) => m.topic.endsWith('/events/shelf/A1/L1') && JSON.parse(m.payload).type === 'pick'), 5000, 'pick event')
    expect(JSON.parse(got.find((m) => m.topic.endsWith('/events/shelf/A1/L1') && JSON.parse(m.payload).type === 'pick')!.payload)).toMatchObject({ qty: 2, count: 6, shelf: 'A1', lane: 'L1', name: 'Milk' })
    await eventually(() => conditions.some((c) => c.rule === 'shelf.restock.low' && c.active), 5000, 'low stock')
    await eventually(() => got.some((m) => m.topic.endsWith('/state/shelf/A1/L1') && JSON.parse(m.payload).lowStock === true), 5000, 'state with lowStock')
    expect(h.gw.shared.shelves!.lanes().find((l) => l.shelf === 'A1' && l.lane === 'L1')).toMatchObject({ count: 6, lowStock: true, outOfStock: false })
    await eventually(async () => (await h!.gw.storage!.store.listEvents({ subject: 'shelf/A1/L1' })).length === 2, 5000, 'events stored')
    const stored = await h.gw.storage!.store.listEvents({ subject: 'shelf/A1/L1' })
    expect(stored.map((e) => e.type)).toEqual(['count', 'pick'])
  })
})

describe('a lane after a gateway restart', () => {
  it('keeps the step-counted count when the items weigh more than their label, instead of recounting from the absolute weight', () => {
    // 10 cartons that each weigh 6 % over the label: 2777 g; the absolute formula would say 10.6 → misplaced.
    const heavy = new LaneTracker(milkShelf, milkShelf.lanes[0]!)
    heavy.restore({ v: 1, count: 10, stableWeightG: 2777, lastReadingAt: 7000, active: [] })
    const steps = steady(heavy, 2777 - 262, 100_000) // one carton was taken while the gateway was down
    expect(steps.flatMap((s) => s.events)).toContainEqual(expect.objectContaining({ type: 'pick', qty: 1, count: 9 }))
    expect(heavy.view().count).toBe(9)
  })

  it('shows the snapshot count until the first stable weight arrives', () => {
    const t = new LaneTracker(milkShelf, milkShelf.lanes[0]!)
    t.restore({ v: 1, count: 12, stableWeightG: 3144, lastReadingAt: 1, active: ['shelf.restock.low'] })
    expect(t.view()).toMatchObject({ count: 12, stable: false, lowStock: true })
    const steps = steady(t, 3144, 50_000)
    expect(steps.flatMap((s) => s.events)).toEqual([]) // nothing changed while it was down: no event
    expect(t.view().count).toBe(12)
  })
})
