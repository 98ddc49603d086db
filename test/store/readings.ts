/** Readings for store tests, in the shapes that round-trip exactly through the SQLite row codec. */
import type { ColdTempReading, Reading, ShelfWeightReading } from '../../gateway/contract/readings.ts'

export const T0 = Date.UTC(2026, 4, 1, 8, 0, 0)

export function weight(g: number, ts: number, seq?: number, lane = '1'): ShelfWeightReading {
  return { device: 'shelf-a', kind: 'shelf.weight', shelf: 'A', lane, g, ts, ...(seq === undefined ? {} : { seq }) }
}

export function temp(c: number, ts: number, probe: ColdTempReading['probe'] = 'air'): ColdTempReading {
  return { device: 'fridge-1', kind: 'cold.temp', unit: 'F1', c, probe, ts }
}

export const oneOfEach: Reading[] = [
  weight(1523.5, T0, 7),
  { device: 'shelf-b', kind: 'shelf.weight', shelf: 'B', lane: '2', raw: 8_388_607, ts: T0 + 1 },
  temp(3.6, T0 + 2),
  temp(-1.5, T0 + 3, 'product'),
  { device: 'fridge-1', kind: 'cold.door', unit: 'F1', open: true, ts: T0 + 4, seq: 1 },
  { device: 'fridge-1', kind: 'cold.defrost', unit: 'F1', active: false, ts: T0 + 5 },
  { device: 'locker-1', kind: 'locker.event', locker: 'L1', slot: 12, type: 'door_opened', ts: T0 + 6 },
  { device: 'shelf-a', kind: 'device.status', online: true, fw: '1.4.2', battery: 0.82, errors: 0, ts: T0 + 7 },
  { device: 'shelf-c', kind: 'device.status', online: false, ts: T0 + 8 },
]
