/**
 * Topic contract v1: one schema per device payload. The TypeScript types are derived from these
 * schemas, and docs/topics.md documents them; change all three together and bump the version.
 */
import { z } from 'zod'

export const CONTRACT_VERSION = 1

/** Optional on every device payload: device clock (ms since epoch) and a per-device counter. */
const envelope = {
  ts: z.number().int().min(0).optional(),
  seq: z.number().int().min(0).optional(),
}

export const shelfWeightPayload = z
  .object({
    ...envelope,
    /** Calibrated weight in grams. */
    g: z.number().min(-1_000_000).max(1_000_000).optional(),
    /** Raw ADC counts (HX711 class boards are 24-bit signed); calibrated by the lane's config. */
    raw: z.number().int().min(-(2 ** 31)).max(2 ** 31 - 1).optional(),
  })
  .refine((p) => (p.g === undefined) !== (p.raw === undefined), {
    message: 'exactly one of "g" (grams) or "raw" (ADC counts) is required',
    path: ['g'],
  })

export const coldTempPayload = z.object({
  ...envelope,
  /** Degrees Celsius; the range covers blast freezers to a sensor left in the sun. */
  c: z.number().min(-60).max(80),
  probe: z.enum(['air', 'product', 'evaporator']).default('air'),
})

export const coldDoorPayload = z.object({ ...envelope, open: z.boolean() })

export const coldDefrostPayload = z.object({ ...envelope, active: z.boolean() })

export const lockerEventTypes = [
  'door_opened',
  'door_closed',
  'occupied',
  'vacant',
  'locked',
  'unlocked',
  'unlock_failed',
] as const

export const lockerEventPayload = z.object({
  ...envelope,
  type: z.enum(lockerEventTypes),
})

export const deviceStatusPayload = z.object({
  ...envelope,
  online: z.boolean(),
  fw: z.string().max(64).optional(),
  /** State of charge, 0..1. */
  battery: z.number().min(0).max(1).optional(),
  errors: z.number().int().min(0).optional(),
})

export type ShelfWeightPayload = z.infer<typeof shelfWeightPayload>
export type ColdTempPayload = z.infer<typeof coldTempPayload>
export type ColdDoorPayload = z.infer<typeof coldDoorPayload>
export type ColdDefrostPayload = z.infer<typeof coldDefrostPayload>
export type LockerEventPayload = z.infer<typeof lockerEventPayload>
export type LockerEventType = (typeof lockerEventTypes)[number]
export type DeviceStatusPayload = z.infer<typeof deviceStatusPayload>

/** The device-facing payload schemas, keyed by reading kind. */
export const payloadSchemas = {
  'shelf.weight': shelfWeightPayload,
  'cold.temp': coldTempPayload,
  'cold.door': coldDoorPayload,
  'cold.defrost': coldDefrostPayload,
  'locker.event': lockerEventPayload,
  'device.status': deviceStatusPayload,
} as const

export type ReadingKind = keyof typeof payloadSchemas
