/**
 * Where an adapter's canonical readings go. Adapters speak only this interface; the runner plugs in
 * an MQTT outlet (mqttOutlet.ts) that publishes into topic contract v1 as the adapter's device, and
 * tests plug in a recorder.
 */
import { topics } from '../../gateway/contract/topics.ts'

export type AdapterReading =
  | { kind: 'shelf.weight'; shelf: string; lane: string; raw?: number; g?: number; ts: number }
  | { kind: 'cold.temp'; unit: string; c: number; probe: 'air' | 'product' | 'evaporator'; ts: number }
  | { kind: 'cold.door'; unit: string; open: boolean; ts: number }
  | { kind: 'cold.defrost'; unit: string; active: boolean; ts: number }

/** The hardware's state, published retained on device/{device}/status. */
export interface HardwareStatus {
  online: boolean
  /** Count of active problems (controller alarm bits; failed polls while offline). */
  errors?: number
  /** Why it is offline, for people reading the retained status. */
  reason?: string
  /** Names of active controller alarm bits (extra field; the gateway ignores it). */
  alarms?: string[]
}

export interface ReadingOutlet {
  reading(r: AdapterReading): void
  status(s: HardwareStatus): void
}

/** Topic and JSON payload of a reading in contract v1 (docs/topics.md). Pure. */
export function toMessage(store: string, r: AdapterReading, seq: number): { topic: string; payload: Record<string, unknown> } {
  switch (r.kind) {
    case 'shelf.weight':
      return { topic: topics.shelfWeight(store, r.shelf, r.lane), payload: { ...(r.g !== undefined ? { g: r.g } : { raw: r.raw }), ts: r.ts, seq } }
    case 'cold.temp':
      return { topic: topics.cold(store, r.unit, 'temp'), payload: { c: r.c, probe: r.probe, ts: r.ts, seq } }
    case 'cold.door':
      return { topic: topics.cold(store, r.unit, 'door'), payload: { open: r.open, ts: r.ts, seq } }
    case 'cold.defrost':
      return { topic: topics.cold(store, r.unit, 'defrost'), payload: { active: r.active, ts: r.ts, seq } }
  }
}
