import { describe, expect, it } from 'vitest'
import type { Reading } from '../../gateway/contract/readings.ts'
import { collect, eventually, useGateway } from '../support/gatewayHarness.ts'

const g = useGateway()

const valid: [string, string, string, Partial<Reading>][] = [
  ['shelf weight in grams', 'shelf-a1', 'shelfgate/s1/shelf/A1/L1/weight', { kind: 'shelf.weight', shelf: 'A1', lane: 'L1', g: 1523.4 } as Partial<Reading>],
  ['shelf weight in raw counts', 'shelf-a1', 'shelfgate/s1/shelf/A1/L2/weight', { kind: 'shelf.weight', lane: 'L2', raw: 8388607 } as Partial<Reading>],
  ['fridge temperature', 'cold-f1', 'shelfgate/s1/cold/F1/temp', { kind: 'cold.temp', unit: 'F1', c: 3.6, probe: 'air' } as Partial<Reading>],
  ['fridge door', 'cold-f1', 'shelfgate/s1/cold/F1/door', { kind: 'cold.door', unit: 'F1', open: true } as Partial<Reading>],
  ['defrost', 'cold-f1', 'shelfgate/s1/cold/F1/defrost', { kind: 'cold.defrost', unit: 'F1', active: true } as Partial<Reading>],
  ['locker door event', 'locker-k1', 'shelfgate/s1/locker/K1/3/event', { kind: 'locker.event', locker: 'K1', slot: 3, type: 'door_opened' } as Partial<Reading>],
  ['device status', 'cold-f1', 'shelfgate/s1/device/cold-f1/status', { kind: 'device.status', online: true, fw: '1.4.2', battery: 0.82 } as Partial<Reading>],
]
const bodies: Record<string, string> = {
  'shelf weight in grams': '{"g":1523.4,"seq":7}',
  'shelf weight in raw counts': '{"raw":8388607}',
  'fridge temperature': '{"c":3.6,"probe":"air"}',
  'fridge door': '{"open":true}',
  defrost: '{"active":true}',
  'locker door event': '{"type":"door_opened"}',
  'device status': '{"online":true,"fw":"1.4.2","battery":0.82}',
}

describe('valid payloads', () => {
  it.each(valid)('accepts a %s and turns it into a canonical reading', async (name, device, topic, expected) => {
    const c = await g.h.connect(device)
    await c.publishAsync(topic, bodies[name] as string, { qos: 1 })
    expect(g.readings).toHaveLength(1)
    expect(g.readings[0]).toMatchObject({ ...expected, device })
    expect(await g.h.metric('shelfgate_readings_total', { kind: expected.kind as string })).toBe(1)
  })
})

const invalid: [string, string, string, string][] = [
  ['non-JSON', 'shelfgate/s1/cold/F1/temp', 'hello', 'not_json'],
  ['a JSON array', 'shelfgate/s1/cold/F1/temp', '[3.5]', 'not_json'],
  ['a wrong type', 'shelfgate/s1/cold/F1/temp', '{"c":"3.5"}', 'wrong_type'],
  ['a missing field', 'shelfgate/s1/cold/F1/temp', '{"probe":"air"}', 'missing_field'],
  ['Infinity (1e999)', 'shelfgate/s1/cold/F1/temp', '{"c":1e999}', 'not_finite'],
  ['NaN', 'shelfgate/s1/cold/F1/temp', '{"c":NaN}', 'not_json'],
  ['an impossible temperature', 'shelfgate/s1/cold/F1/temp', '{"c":-300}', 'out_of_range'],
  ['an unknown door field only', 'shelfgate/s1/cold/F1/door', '{"opened":1}', 'missing_field'],
  ['an oversize payload', 'shelfgate/s1/cold/F1/temp', JSON.stringify({ c: 3, pad: 'x'.repeat(2000) }), 'oversize'],
  ['an unknown topic shape', 'shelfgate/s1/cold/F1/humidity', '{"rh":40}', 'unknown_topic'],
  ['another store', 'shelfgate/s2/cold/F1/temp', '{"c":3}', 'wrong_store'],
]

describe('invalid payloads', () => {
  it.each(invalid)('refuses %s with reason %s, keeps the device connected, and keeps serving others', async (_name, topic, body, reason) => {
    const ops = await g.h.connect('ops')
    await ops.subscribeAsync('shelfgate/s1/#')
    const seen = collect(ops)
    const f1 = await g.h.connect('cold-f1')
    const a1 = await g.h.connect('shelf-a1')
    await f1.publishAsync(topic, body, { qos: 1 })
    // The refusal is acknowledged (no resend loop) and the device stays connected.
    expect(f1.connected).toBe(true)
    await a1.publishAsync('shelfgate/s1/shelf/A1/L1/weight', '{"g":262}', { qos: 1 })
    await f1.publishAsync('shelfgate/s1/cold/F1/temp', '{"c":4.1}', { qos: 1 })
    await eventually(() => seen.length >= 2, 3000, 'the valid readings to be forwarded')
    expect(seen.map((m) => m.topic)).toEqual(['shelfgate/s1/shelf/A1/L1/weight', 'shelfgate/s1/cold/F1/temp'])
    expect(g.readings.map((r) => r.kind)).toEqual(['shelf.weight', 'cold.temp'])
    expect(await g.h.metric('shelfgate_refused_payloads_total', { reason })).toBe(1)
    expect(g.h.gw.stats.get('cold-f1').lastRefusal?.reason).toBe(reason)
  })

  it('logs a refused payload once per device per minute with the reason, not once per message', async () => {
    const f1 = await g.h.connect('cold-f1')
    for (let i = 0; i < 20; i++) await f1.publishAsync('shelfgate/s1/cold/F1/temp', 'garbage', { qos: 1 })
    const lines = g.h.logs.filter((l) => l.includes('refused payload from cold-f1'))
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain('not_json')
    expect(await g.h.metric('shelfgate_refused_payloads_total', { reason: 'not_json' })).toBe(20)
  })

  it('closes only the connection that sends an MQTT packet over the size limit', async () => {
    const f1 = await g.h.connect('cold-f1')
    const a1 = await g.h.connect('shelf-a1')
    const closed = new Promise<void>((r) => f1.once('close', () => r()))
    f1.publish('shelfgate/s1/cold/F1/temp', Buffer.alloc(64 * 1024, 0x20), { qos: 0 })
    await closed
    await a1.publishAsync('shelfgate/s1/shelf/A1/L1/weight', '{"g":262}', { qos: 1 })
    expect(g.readings.map((r) => r.device)).toEqual(['shelf-a1'])
    expect(await g.h.metric('shelfgate_refused_payloads_total', { reason: 'oversize' })).toBe(1)
  })
})
