/**
 * Canonical readings: what every source (MQTT devices, Modbus, serial, GPIO, mapped third-party
 * sensors) is turned into before ingest. Rules, storage, Node-RED and the bridge see only these.
 */
import type { LockerEventType } from './payloads.ts'

export interface ReadingBase {
  /** Device that produced the reading (credentials id, or adapter id for Modbus/serial/GPIO). */
  device: string
  /** Measurement time, ms since epoch: the device's `ts` when plausible, else arrival time. */
  ts: number
  /** Device counter, for gap and duplicate detection. */
  seq?: number
}

export interface ShelfWeightReading extends ReadingBase {
  kind: 'shelf.weight'
  shelf: string
  lane: string
  /** Grams, when the device calibrates itself. */
  g?: number
  /** Raw ADC counts, when the lane's calibration lives in the config. */
  raw?: number
}

export interface ColdTempReading extends ReadingBase {
  kind: 'cold.temp'
  unit: string
  c: number
  probe: 'air' | 'product' | 'evaporator'
}

export interface ColdDoorReading extends ReadingBase {
  kind: 'cold.door'
  unit: string
  open: boolean
}

export interface ColdDefrostReading extends ReadingBase {
  kind: 'cold.defrost'
  unit: string
  active: boolean
}

export interface LockerEventReading extends ReadingBase {
  kind: 'locker.event'
  locker: string
  slot: number
  type: LockerEventType
}

export interface DeviceStatusReading extends ReadingBase {
  kind: 'device.status'
  online: boolean
  fw?: string
  battery?: number
  errors?: number
}

export type Reading =
  | ShelfWeightReading
  | ColdTempReading
  | ColdDoorReading
  | ColdDefrostReading
  | LockerEventReading
  | DeviceStatusReading

/** The subject a reading is about, for per-channel deadbands, state keys and logs. */
export function readingSubject(r: Reading): string {
  switch (r.kind) {
    case 'shelf.weight':
      return `shelf/${r.shelf}/${r.lane}`
    case 'cold.temp':
    case 'cold.door':
    case 'cold.defrost':
      return `cold/${r.unit}`
    case 'locker.event':
      return `locker/${r.locker}/${r.slot}`
    case 'device.status':
      return `device/${r.device}`
  }
}
