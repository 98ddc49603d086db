/**
 * One product lane on a weight shelf, as the installer writes it in the config file. The schema is
 * the single source of truth: the type comes from it, and `resolveLane` fills the defaults that
 * depend on the product (a 20 g chewing-gum lane needs a tighter stable band than a 1 kg rice lane).
 */
import { z } from 'zod'

export const laneConfigSchema = z.object({
  id: z.string().min(1),
  sku: z.union([z.string(), z.number()]).transform(String),
  name: z.string().min(1),
  /** Grams per item. */
  unitWeight: z.number().positive(),
  /** Items the lane holds when full. */
  capacity: z.number().int().positive(),
  /** Low-stock alert when the count drops to this or below. */
  restockAt: z.number().int().min(0),
  /** Minutes staff need to restock; the predictive alert fires when the lane empties sooner. */
  leadTimeMin: z.number().positive(),
  location: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  /** raw → grams: g = (raw − zeroCounts) / countsPerGram. Only for boards that send raw counts. */
  calibration: z.object({ zeroCounts: z.number(), countsPerGram: z.number().refine((v) => v !== 0, 'must not be 0') }).optional(),
  /** Grams the empty lane reads (tray, pusher, divider). */
  tareG: z.number().optional(),
  /** Accept a count only when (net / unitWeight) is within this many units of a whole number. */
  tolerance: z.number().gt(0).max(0.5).optional(),
  /** Max spread (g) of filtered samples over the window for the weight to count as stable. */
  stableBandG: z.number().positive().optional(),
  stableWindowMs: z.number().int().positive().optional(),
  /** Samples in the moving median (odd; 5 rejects spikes up to 2 samples long). */
  medianWindow: z.number().int().min(1).max(31).optional(),
})

export type LaneConfig = z.input<typeof laneConfigSchema>

export interface ResolvedLane {
  id: string
  sku: string
  name: string
  unitWeight: number
  capacity: number
  restockAt: number
  leadTimeMin: number
  location?: Record<string, string | number>
  calibration?: { zeroCounts: number; countsPerGram: number }
  tareG: number
  tolerance: number
  stableBandG: number
  stableWindowMs: number
  medianWindow: number
}

export const laneDefaults = {
  tareG: 0,
  // Spec default: accept within ±0.35 unit; beyond that the lane holds something we cannot explain.
  tolerance: 0.35,
  // 2 s outlasts most hand-on-shelf transients (0.5–2 s) once the median's lag is added.
  stableWindowMs: 2000,
  medianWindow: 5,
} as const

/** Stable band: 10 % of an item, kept between 2 g (HX711 noise floor on a 5 kg cell) and 15 g. */
export function defaultStableBandG(unitWeight: number): number {
  return Math.min(15, Math.max(2, unitWeight * 0.1))
}

export function resolveLane(input: LaneConfig): ResolvedLane {
  const c = laneConfigSchema.parse(input)
  const lane: ResolvedLane = {
    id: c.id,
    sku: c.sku,
    name: c.name,
    unitWeight: c.unitWeight,
    capacity: c.capacity,
    restockAt: c.restockAt,
    leadTimeMin: c.leadTimeMin,
    tareG: c.tareG ?? laneDefaults.tareG,
    tolerance: c.tolerance ?? laneDefaults.tolerance,
    stableBandG: c.stableBandG ?? defaultStableBandG(c.unitWeight),
    stableWindowMs: c.stableWindowMs ?? laneDefaults.stableWindowMs,
    medianWindow: c.medianWindow ?? laneDefaults.medianWindow,
  }
  if (c.location) lane.location = c.location
  if (c.calibration) lane.calibration = c.calibration
  return lane
}
