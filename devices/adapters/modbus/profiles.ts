/**
 * What a poll means for each kind of Modbus device: the spans to read, and how the values read become
 * canonical readings. Pure (values and a timestamp in, readings out); the cold profile remembers the
 * last door / defrost / alarm state so those are reported on change, not on every poll.
 */
import type { BitField, RegisterField } from './fields.ts'
import type { AdapterReading } from '../outlet.ts'
import type { ColdMap, ModbusWeightConfig } from '../config.ts'
import { lookup, type Block, type BlockData, type Span } from './readPlan.ts'
import { bitOf, decodeRaw, registerCount, scaled } from './registerDecode.ts'

export interface PollResult {
  readings: AdapterReading[]
  /** Active controller alarm names, when the profile has alarm bits. */
  alarms?: string[]
}

export interface ModbusProfile {
  spans(): Span[]
  interpret(blocks: readonly Block[], data: BlockData, ts: number): PollResult
  /** The connection was lost: report door / defrost again after the next good poll. */
  reset(): void
}

function registerSpan(f: RegisterField): Span {
  return { table: f.table, address: f.address, count: registerCount(f.type) }
}

function bitSpan(b: BitField): Span {
  return { table: b.source, address: b.address, count: 1 }
}

export function readNumber(blocks: readonly Block[], data: BlockData, f: RegisterField): { raw: number; value: number } {
  const raw = decodeRaw(lookup(blocks, data, registerSpan(f)) as number[], f.type, f.wordOrder)
  return { raw, value: scaled(raw, f.scale, f.offset) }
}

export function readBit(blocks: readonly Block[], data: BlockData, b: BitField): boolean {
  const [v] = lookup(blocks, data, bitSpan(b))
  const on = typeof v === 'boolean' ? v : bitOf(Number(v), b.bit ?? 0)
  return b.invert ? !on : on
}

export function weightProfile(cfg: Pick<ModbusWeightConfig, 'lanes'>): ModbusProfile {
  return {
    spans: () => cfg.lanes.map(registerSpan),
    interpret(blocks, data, ts) {
      const readings: AdapterReading[] = []
      for (const l of cfg.lanes) {
        const { value } = readNumber(blocks, data, l)
        // ±1,000,000 g is the contract's range; a transmitter showing overload sends its max value.
        if (Number.isFinite(value) && Math.abs(value) <= 1_000_000) readings.push({ kind: 'shelf.weight', shelf: l.shelf, lane: l.lane, g: value, ts })
      }
      return { readings }
    },
    reset() {},
  }
}

export function coldProfile(unit: string, map: ColdMap): ModbusProfile {
  let door: boolean | undefined
  let defrost: boolean | undefined
  const bits = [map.door, map.defrost, ...map.alarms].filter((b): b is BitField => b !== undefined)
  return {
    spans: () => [...map.temps.map(registerSpan), ...bits.map(bitSpan)],
    interpret(blocks, data, ts) {
      const readings: AdapterReading[] = []
      for (const t of map.temps) {
        const { raw, value } = readNumber(blocks, data, t)
        // Probe faults read as a sentinel (often −32768); the contract's range is −60…80 °C.
        if (map.invalidRaw.includes(raw) || !Number.isFinite(value) || value < -60 || value > 80) continue
        readings.push({ kind: 'cold.temp', unit, c: value, probe: t.probe, ts })
      }
      if (map.door) {
        const open = readBit(blocks, data, map.door)
        if (open !== door) readings.push({ kind: 'cold.door', unit, open, ts })
        door = open
      }
      if (map.defrost) {
        const active = readBit(blocks, data, map.defrost)
        if (active !== defrost) readings.push({ kind: 'cold.defrost', unit, active, ts })
        defrost = active
      }
      const alarms = map.alarms.filter((a) => readBit(blocks, data, a)).map((a) => a.name)
      return { readings, alarms }
    },
    reset() {
      door = undefined
      defrost = undefined
    },
  }
}
