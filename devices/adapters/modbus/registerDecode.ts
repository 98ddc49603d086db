/**
 * Register words → numbers. Modbus registers are 16-bit big-endian; a 32-bit value spans two
 * registers in an order the manufacturer chooses ("high-first" = ABCD, "low-first" = CDAB, the
 * word-swapped layout many transmitters use). Pure.
 */
import type { RegisterField } from './fields.ts'

export type NumberType = RegisterField['type']
export type WordOrder = RegisterField['wordOrder']

export function registerCount(type: NumberType): 1 | 2 {
  return type === 'int16' || type === 'uint16' ? 1 : 2
}

/** The raw value of `words` (1 or 2 registers as read, in address order). */
export function decodeRaw(words: readonly number[], type: NumberType, order: WordOrder = 'high-first'): number {
  const w0 = (words[0] ?? 0) & 0xffff
  if (registerCount(type) === 1) return type === 'int16' ? (w0 << 16) >> 16 : w0
  const w1 = (words[1] ?? 0) & 0xffff
  const [hi, lo] = order === 'high-first' ? [w0, w1] : [w1, w0]
  const buf = Buffer.alloc(4)
  buf.writeUInt16BE(hi, 0)
  buf.writeUInt16BE(lo, 2)
  if (type === 'int32') return buf.readInt32BE(0)
  if (type === 'uint32') return buf.readUInt32BE(0)
  return buf.readFloatBE(0)
}

/** Engineering value: raw × scale + offset, rounded to remove binary noise from decimal scales (0.1 × 37 = 3.7000000000000006). */
export function scaled(raw: number, scale: number, offset: number): number {
  const v = raw * scale + offset
  return Number.isFinite(v) ? Math.round(v * 1e6) / 1e6 : v
}

export function bitOf(word: number, bit: number): boolean {
  return ((word >> bit) & 1) === 1
}
