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

/**
 * Subject strings are interned: the hot path asks for a reading's subject several times (deadband,
 * row, rollup, services), and handing out the same string object each time spares building it and
 * rehashing it for every Map lookup that follows. Ids come from the config (the ACL has checked them
 * before a reading exists); the cap only guards against a caller with unchecked ids.
 */
const SUBJECTS_MAX = 50_000
let internedCount = 0
const byFamily = {
  shelf: new Map<string, Map<string, string>>(),
  cold: new Map<string, Map<string, string>>(),
  locker: new Map<string, Map<number, string>>(),
  device: new Map<string, Map<string, string>>(),
}

function interned<K extends string | number>(family: Map<string, Map<K, string>>, prefix: string, a: string, b: K | undefined): string {
  let inner = family.get(a)
  if (inner === undefined) family.set(a, (inner = new Map()))
  const key = (b ?? '') as K
  let s = inner.get(key)
  if (s === undefined) {
    s = b === undefined ? `${prefix}/${a}` : `${prefix}/${a}/${b}`
    if (++internedCount > SUBJECTS_MAX) {
      for (const m of Object.values(byFamily)) m.clear()
      internedCount = 0
    } else inner.set(key, s)
  }
  return s
}

/**
 * The last reading asked about and its subject: the rules, the rollups and the deadband ask about
 * the same reading one after another as it arrives. Readings are never changed once decoded.
 */
let lastReading: Reading | undefined
let lastSubject = ''

/** The subject a reading is about, for per-channel deadbands, state keys and logs. */
export function readingSubject(r: Reading): string {
  if (r === lastReading) return lastSubject
  lastSubject = subjectOf(r)
  lastReading = r
  return lastSubject
}

function subjectOf(r: Reading): string {
  switch (r.kind) {
    case 'shelf.weight':
      return interned(byFamily.shelf, 'shelf', r.shelf, r.lane)
    case 'cold.temp':
    case 'cold.door':
    case 'cold.defrost':
      return interned(byFamily.cold, 'cold', r.unit, undefined)
    case 'locker.event':
      return interned(byFamily.locker, 'locker', r.locker, r.slot)
    case 'device.status':
      return interned(byFamily.device, 'device', r.device, undefined)
  }
}
