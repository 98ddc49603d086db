import { expect, it } from 'vitest'
import type { Reading } from '../../gateway/contract/readings.ts'
import { Deadband } from '../../gateway/store/deadband.ts'
import { T0, temp, weight } from './readings.ts'

const stored = (d: Deadband, rs: Reading[]) => rs.filter((r) => d.shouldStore(r))

it('skips shelf weight jitter below 2 g and stores a real change', () => {
  const d = new Deadband()
  const got = stored(d, [weight(500, T0), weight(501.5, T0 + 500), weight(499, T0 + 1000), weight(380, T0 + 1500)])
  expect(got.map((r) => r.ts)).toEqual([T0, T0 + 1500])
})

it('stores a fridge temperature only when it moves 0.2 °C or more from the last stored value', () => {
  const d = new Deadband()
  const got = stored(d, [temp(3.6, T0), temp(3.7, T0 + 30_000), temp(3.75, T0 + 60_000), temp(3.8, T0 + 90_000)])
  expect(got.map((r) => (r.kind === 'cold.temp' ? r.c : 0))).toEqual([3.6, 3.8])
})

it('keeps the air and product probes of one fridge apart', () => {
  const d = new Deadband()
  expect(stored(d, [temp(3.6, T0), temp(3.6, T0 + 1, 'product')])).toHaveLength(2)
})

it('stores a heartbeat every 5 minutes even when nothing changes', () => {
  const d = new Deadband()
  const flat = Array.from({ length: 11 }, (_, i) => temp(3.6, T0 + i * 60_000))
  expect(stored(d, flat).map((r) => (r.ts - T0) / 60_000)).toEqual([0, 5, 10])
})

it('stores every door change and nothing for a repeated door state', () => {
  const d = new Deadband()
  const door = (open: boolean, ts: number): Reading => ({ device: 'f', kind: 'cold.door', unit: 'F1', open, ts })
  expect(stored(d, [door(false, T0), door(true, T0 + 1), door(true, T0 + 2), door(false, T0 + 3)])).toHaveLength(3)
})

it('picks up after a restart from the values already in the database', () => {
  const d = new Deadband()
  d.prime([weight(500, T0)])
  expect(d.shouldStore(weight(501, T0 + 1000))).toBe(false)
})

it('uses a per-channel deadband where the installer set one', () => {
  const d = new Deadband({ perChannel: { 'shelf/A/1|shelf.weight': 50 } })
  expect(stored(d, [weight(500, T0), weight(540, T0 + 1), weight(560, T0 + 2)]).map((r) => r.ts)).toEqual([T0, T0 + 2])
})

it('stores a fridge temperature that crosses the unit limit, however small the step', () => {
  const d = new Deadband({ coldC: 1, limits: { 'cold/F1|cold.temp|air': 5 } })
  const got = stored(d, [temp(4.6, T0), temp(4.9, T0 + 30_000), temp(5.2, T0 + 60_000), temp(5.6, T0 + 90_000), temp(4.8, T0 + 120_000)])
  expect(got.map((r) => (r.kind === 'cold.temp' ? r.c : 0))).toEqual([4.6, 5.2, 4.8])
})
