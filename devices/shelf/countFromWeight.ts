/**
 * Whole items from a net weight. Product weights vary a few percent, so the count is accepted only
 * near a whole number (default ±0.35 unit); anything else means an item the lane cannot explain.
 * Same idea as US 11450011: quantity = Δweight / unit weight, accepted within a threshold.
 */
export type CountFit =
  | { ok: true; count: number; offUnits: number }
  | { ok: false; nearest: number; offUnits: number }

export function countFromWeight(netG: number, unitWeight: number, tolerance: number): CountFit {
  const units = netG / unitWeight
  const nearest = Math.round(units)
  const offUnits = units - nearest
  // A tiny epsilon so 0.35 itself is accepted despite float error; the edge belongs to "ok".
  if (Math.abs(offUnits) <= tolerance + 1e-9) return { ok: true, count: nearest, offUnits }
  return { ok: false, nearest, offUnits }
}
