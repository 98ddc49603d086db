import { describe, expect, it } from 'vitest'
import { decodePayload, decodeWithSchema } from '../../gateway/contract/decode.ts'
import type { DeviceTopic } from '../../gateway/contract/topics.ts'

// Weights and temperatures skip zod on the hot path (decode.ts decodeCommon). Whatever a device
// sends, the outcome must be exactly what the schema path decides: same reading or same refusal.
const weight: DeviceTopic = { kind: 'shelf.weight', shelf: 'A1', lane: 'L1' }
const temp: DeviceTopic = { kind: 'cold.temp', unit: 'F1' }
const now = Date.UTC(2026, 10, 23, 9)
const deviceTs = now - 5_000

const weights = [
  { g: 1523.4 }, { g: 1523.4, seq: 7 }, { g: -12, ts: deviceTs }, { g: 0 }, { g: 1_000_000 }, { g: -1_000_000 },
  { g: 1_000_000.5 }, { g: '12' }, { g: null }, { g: true }, { raw: 8388607 }, { raw: -8388608, seq: 0 },
  { raw: 2 ** 31 - 1 }, { raw: 2 ** 31 }, { raw: 1.5 }, { raw: '5' }, { g: 1, raw: 2 }, {}, { g: 5, ts: -1 },
  { g: 5, ts: 1.5 }, { g: 5, seq: -1 }, { g: 5, seq: 2 ** 53 }, { g: 5, ts: 1000 }, { g: 5, ts: now + 48 * 3600_000 },
  { g: 5, extra: 'ignored' }, { g: 5, ts: '1' },
]
const temps = [
  { c: 3.6 }, { c: 3.6, probe: 'air' }, { c: -25, probe: 'product', seq: 3 }, { c: 1, probe: 'evaporator', ts: deviceTs },
  { c: -60 }, { c: 80 }, { c: 80.01 }, { c: -60.5 }, { c: '3.5' }, { c: null }, { probe: 'air' }, { c: 3, probe: 'door' },
  { c: 3, probe: null }, { c: 3, probe: 1 }, { c: 3, seq: 1.2 }, { c: 3, ts: deviceTs, seq: 0 }, { c: 3, other: [1] },
]

describe('the fast decode of weights and temperatures', () => {
  it.each(weights.map((p) => [JSON.stringify(p), p]))('decides a weight payload %s as the schema does', (_s, payload) => {
    for (const trusted of [true, false]) {
      const fast = decodePayload(weight, Buffer.from(JSON.stringify(payload)), 'shelf-a1', now, 1024, trusted)
      expect(fast).toEqual(decodeWithSchema(weight, payload as Record<string, unknown>, 'shelf-a1', now, trusted))
    }
  })

  it.each(temps.map((p) => [JSON.stringify(p), p]))('decides a temperature payload %s as the schema does', (_s, payload) => {
    for (const trusted of [true, false]) {
      const fast = decodePayload(temp, Buffer.from(JSON.stringify(payload)), 'cold-f1', now, 1024, trusted)
      expect(fast).toEqual(decodeWithSchema(temp, payload as Record<string, unknown>, 'cold-f1', now, trusted))
    }
  })

  it('uses the device clock of a weight only when it is plausible and the gateway trusts it', () => {
    const r = decodePayload(weight, Buffer.from(JSON.stringify({ g: 5, ts: deviceTs })), 'shelf-a1', now)
    expect(r).toMatchObject({ ok: true, reading: { ts: deviceTs, g: 5, shelf: 'A1', lane: 'L1', device: 'shelf-a1' } })
    const untrusted = decodePayload(weight, Buffer.from(JSON.stringify({ g: 5, ts: deviceTs })), 'shelf-a1', now, 1024, false)
    expect(untrusted).toMatchObject({ ok: true, reading: { ts: now } })
  })
})
