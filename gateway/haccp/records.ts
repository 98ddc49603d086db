/**
 * HACCP records: what an inspector asks for (time/temperature logs, corrective actions, calibration
 * records; see docs/cold-chain.md). Plain data, kept at least 2 years (DESIGN §3).
 */

/** One excursion: from the first reading above the holding limit until the reading that ended it. */
export interface ExcursionRecord {
  unit: string
  /** ms since epoch. */
  start: number
  /** null while the excursion is still open. */
  end: number | null
  peakC: number
  durationMin: number
  degreeMinutes: number
  /** Highest level reached: a warning, or an alarm (persisted or past the hard limit). */
  level: 'warning' | 'alarm'
  acknowledgedBy: string | null
  acknowledgedAt: number | null
  correctiveAction: string | null
  closingReadingC: number | null
}

/** A probe checked against a reference instrument (GB 31605-2020 §3.1: periodic verification, records kept). */
export interface CalibrationRecord {
  unit: string
  /** ms since epoch. */
  date: number
  /** Reference minus probe, °C: add it to the probe's readings. */
  offsetC: number
  referenceInstrument: string
  by: string
}
