/**
 * The register contents a simulated Modbus device exposes, and encoders that put engineering values
 * into them the way real devices do (two's complement, word order, fixed-point scale). Written
 * independently of the adapter's decoder so tests of one against the other mean something.
 */
import type { FridgeState } from '../cold/fridge.ts'

export interface RegisterImage {
  holding: Map<number, number>
  input: Map<number, number>
  coils: Map<number, boolean>
  discrete: Map<number, boolean>
}

export function emptyImage(): RegisterImage {
  return { holding: new Map(), input: new Map(), coils: new Map(), discrete: new Map() }
}

export type EncodeType = 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32'

export interface Encoding {
  type: EncodeType
  wordOrder?: 'high-first' | 'low-first'
  /** The device sends value / scale (e.g. scale 0.1 → tenths). */
  scale?: number
  table?: 'holding' | 'input'
}

/** Writes `value` at `address` (one or two registers). */
export function putValue(img: RegisterImage, address: number, value: number, e: Encoding): void {
  const regs = e.table === 'input' ? img.input : img.holding
  const v = value / (e.scale ?? 1)
  const buf = Buffer.alloc(4)
  switch (e.type) {
    case 'int16':
      buf.writeInt16BE(Math.max(-32768, Math.min(32767, Math.round(v))), 0)
      regs.set(address, buf.readUInt16BE(0))
      return
    case 'uint16':
      regs.set(address, Math.max(0, Math.min(65535, Math.round(v))))
      return
    case 'int32':
      buf.writeInt32BE(Math.round(v), 0)
      break
    case 'uint32':
      buf.writeUInt32BE(Math.max(0, Math.round(v)), 0)
      break
    case 'float32':
      buf.writeFloatBE(v, 0)
      break
  }
  const hi = buf.readUInt16BE(0)
  const lo = buf.readUInt16BE(2)
  const [first, second] = e.wordOrder === 'low-first' ? [lo, hi] : [hi, lo]
  regs.set(address, first)
  regs.set(address + 1, second)
}

/** Layout of the built-in `dixell-xr` map (devices/adapters/modbus/maps.ts). */
export const DIXELL_XR = { air: 256, evaporator: 257, status: 300, bits: { door: 0, defrost: 1, highAlarm: 2, lowAlarm: 3 } } as const

export function putDixellXr(img: RegisterImage, s: FridgeState & { probeC: number | null; highAlarm?: boolean; lowAlarm?: boolean }): void {
  putValue(img, DIXELL_XR.air, s.probeC ?? -3276.8, { type: 'int16', scale: 0.1 })
  // The evaporator runs colder than the air while the compressor runs, warmer during defrost.
  const evap = s.defrostActive ? s.airC + 6 : s.compressorOn ? s.airC - 8 : s.airC - 2
  putValue(img, DIXELL_XR.evaporator, evap, { type: 'int16', scale: 0.1 })
  const b = DIXELL_XR.bits
  const word = (s.doorOpen ? 1 << b.door : 0) | (s.defrostActive ? 1 << b.defrost : 0) | (s.highAlarm ? 1 << b.highAlarm : 0) | (s.lowAlarm ? 1 << b.lowAlarm : 0)
  img.holding.set(DIXELL_XR.status, word)
}
