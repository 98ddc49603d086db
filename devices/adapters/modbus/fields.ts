/**
 * Register-map vocabulary shared by weight transmitters and refrigeration controllers: a numeric
 * value in one or two registers, and a bit from a coil, a discrete input or a register.
 * Addresses are 0-based protocol addresses (holding register "40257" in a manual is address 256).
 */
import { z } from 'zod'

const address = z.number().int().min(0).max(65535)

export const registerField = z.strictObject({
  address,
  table: z.enum(['holding', 'input']).default('holding'),
  type: z.enum(['int16', 'uint16', 'int32', 'uint32', 'float32']).default('int16'),
  /** For 32-bit types: which register holds the high word. Byte order within a word is always big-endian (Modbus). */
  wordOrder: z.enum(['high-first', 'low-first']).default('high-first'),
  /** value × scale + offset = engineering unit (grams, °C). */
  scale: z.number().refine((n) => n !== 0, 'must not be 0').default(1),
  offset: z.number().default(0),
})

const bitShape = {
  source: z.enum(['coil', 'discrete', 'holding', 'input']),
  address,
  /** Bit 0–15 of the register, for source holding / input. */
  bit: z.number().int().min(0).max(15).optional(),
  /** The contact reads 1 when closed (door shut): invert to get "open". */
  invert: z.boolean().default(false),
}

const bitRule = [
  (b: { source: string; bit?: number | undefined }) => (b.source === 'holding' || b.source === 'input') === (b.bit !== undefined),
  { message: '"bit" (0–15) is required for a register source and not allowed for coil / discrete' },
] as const

export const bitField = z.strictObject(bitShape).refine(...bitRule)

export const coldMap = z.strictObject({
  temps: z.array(z.strictObject({ probe: z.enum(['air', 'product', 'evaporator']).default('air'), ...registerField.shape })).min(1),
  door: bitField.optional(),
  defrost: bitField.optional(),
  /** Controller alarm bits, reported in the device status (contract v1 has no alarm reading). */
  alarms: z.array(z.strictObject({ name: z.string().min(1).max(32), ...bitShape }).refine(...bitRule)).default([]),
  /** A register value meaning "probe fault / not fitted" (e.g. −32768): such a reading is skipped. */
  invalidRaw: z.array(z.number().int()).default([]),
})

export type RegisterField = z.infer<typeof registerField>
export type BitField = z.infer<typeof bitField>
