/** Raw ADC counts → grams. The load cell is linear over its rated range, so zero + scale is enough. */
export interface Calibration {
  zeroCounts: number
  countsPerGram: number
}

export function rawToGrams(raw: number, cal: Calibration): number {
  return (raw - cal.zeroCounts) / cal.countsPerGram
}

export function gramsToRaw(g: number, cal: Calibration): number {
  return Math.round(cal.zeroCounts + g * cal.countsPerGram)
}

/**
 * Two-point calibration as an installer does it: read the empty lane, then a known weight.
 * Returns undefined when the two readings are equal (no load cell, or the weight was not placed).
 */
export function calibrateTwoPoint(emptyRaw: number, loadedRaw: number, knownG: number): Calibration | undefined {
  if (knownG === 0 || emptyRaw === loadedRaw) return undefined
  return { zeroCounts: emptyRaw, countsPerGram: (loadedRaw - emptyRaw) / knownG }
}
