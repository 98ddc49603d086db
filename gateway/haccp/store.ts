/**
 * HACCP records in the gateway's SQLite file (tables haccp_excursions and haccp_calibrations of
 * migration v1; docs/storage.md). Kept ≥ 2 years by retention. An excursion is one row per
 * (unit, probe, start): writing it again (still open, closed, or replayed after a restart) updates
 * that row, and who acknowledged it and the corrective action are never overwritten with nothing.
 */
import type { Queryable } from '../store/database.ts'
import type { CalibrationRecord, ExcursionRecord } from './records.ts'

/** The part of store/database.ts's Database this needs (its lock and transactions). */
export interface HaccpDb extends Queryable {
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>
}

interface ExcursionRow {
  unit: string
  probe: string
  limit_c: number
  started_at: number
  ended_at: number | null
  peak_c: number | null
  degree_minutes: number | null
  acknowledged_by: string | null
  corrective_action: string | null
  details: string | null
}

interface Details {
  level: 'warning' | 'alarm'
  durationMin: number
  acknowledgedAt: number | null
  closingReadingC: number | null
}

export interface CalibrationInput {
  unit: string
  probe?: string
  at: number
  by: string
  /** Reference instrument's reading and the probe's reading at the same moment, °C. */
  referenceC: number
  measuredC: number
  referenceInstrument: string
}

export class HaccpStore {
  readonly #db: HaccpDb

  constructor(db: HaccpDb) {
    this.#db = db
  }

  /** Inserts or updates the excursion that started at `x.start` on this unit and probe. */
  async saveExcursion(x: ExcursionRecord, meta: { limitC: number; probe?: string }): Promise<void> {
    const probe = meta.probe ?? 'air'
    const details: Details = { level: x.level, durationMin: x.durationMin, acknowledgedAt: x.acknowledgedAt, closingReadingC: x.closingReadingC }
    await this.#db.transaction(async (tx) => {
      const row = await tx.get<{ id: number; details: string | null }>(
        'SELECT id, details FROM haccp_excursions WHERE unit = ? AND probe = ? AND started_at = ?',
        [x.unit, probe, x.start],
      )
      if (row === undefined) {
        await tx.run(
          `INSERT INTO haccp_excursions (unit, probe, limit_c, started_at, ended_at, peak_c, degree_minutes, acknowledged_by, corrective_action, details)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [x.unit, probe, meta.limitC, x.start, x.end, x.peakC, x.degreeMinutes, x.acknowledgedBy, x.correctiveAction, JSON.stringify(details)],
        )
        return
      }
      const old = row.details ? (JSON.parse(row.details) as Partial<Details>) : {}
      // An alarm stays an alarm in the record, and the first acknowledgement time is kept.
      const merged: Details = {
        ...details,
        level: old.level === 'alarm' ? 'alarm' : details.level,
        acknowledgedAt: old.acknowledgedAt ?? details.acknowledgedAt,
      }
      await tx.run(
        `UPDATE haccp_excursions SET limit_c = ?, ended_at = ?, peak_c = max(coalesce(peak_c, ?), ?),
           degree_minutes = max(coalesce(degree_minutes, 0), ?), acknowledged_by = coalesce(acknowledged_by, ?), corrective_action = coalesce(?, corrective_action), details = ?
         WHERE id = ?`,
        [meta.limitC, x.end, x.peakC, x.peakC, x.degreeMinutes, x.acknowledgedBy, x.correctiveAction, JSON.stringify(merged), row.id],
      )
    })
  }

  /** Excursions of a unit that overlap [from, to), oldest first; open ones included. */
  async excursions(unit: string, from: number, to: number): Promise<ExcursionRecord[]> {
    const rows = await this.#db.all<ExcursionRow>(
      `SELECT unit, probe, limit_c, started_at, ended_at, peak_c, degree_minutes, acknowledged_by, corrective_action, details
       FROM haccp_excursions WHERE unit = ? AND started_at < ? AND (ended_at IS NULL OR ended_at >= ?) ORDER BY started_at`,
      [unit, to, from],
    )
    return rows.map(toRecord)
  }

  /** The unit's excursion without an end, if any (the newest). */
  async openExcursion(unit: string): Promise<ExcursionRecord | undefined> {
    const row = await this.#db.get<ExcursionRow>(
      `SELECT unit, probe, limit_c, started_at, ended_at, peak_c, degree_minutes, acknowledged_by, corrective_action, details
       FROM haccp_excursions WHERE unit = ? AND ended_at IS NULL ORDER BY started_at DESC LIMIT 1`,
      [unit],
    )
    return row && toRecord(row)
  }

  async addCalibration(c: CalibrationInput): Promise<void> {
    await this.#db.run('INSERT INTO haccp_calibrations (unit, probe, at, by, reference_c, measured_c, notes) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      c.unit, c.probe ?? 'air', c.at, c.by, c.referenceC, c.measuredC, JSON.stringify({ referenceInstrument: c.referenceInstrument }),
    ])
  }

  /** Calibrations of a unit up to `to` (the latest one before a period still applies to it). */
  async calibrations(unit: string, from: number, to: number): Promise<CalibrationRecord[]> {
    const rows = await this.#db.all<{ unit: string; at: number; by: string; reference_c: number; measured_c: number; notes: string | null }>(
      `SELECT unit, at, by, reference_c, measured_c, notes FROM haccp_calibrations
       WHERE unit = ?1 AND at < ?3 AND (at >= ?2 OR at = (SELECT max(at) FROM haccp_calibrations WHERE unit = ?1 AND at < ?2)) ORDER BY at`,
      [unit, from, to],
    )
    return rows.map((r) => ({
      unit: r.unit,
      date: r.at,
      offsetC: Math.round((r.reference_c - r.measured_c) * 100) / 100,
      referenceInstrument: (r.notes ? (JSON.parse(r.notes) as { referenceInstrument?: string }).referenceInstrument : undefined) ?? '',
      by: r.by,
    }))
  }
}

function toRecord(r: ExcursionRow): ExcursionRecord {
  const d = (r.details ? JSON.parse(r.details) : {}) as Partial<Details>
  return {
    unit: r.unit,
    start: r.started_at,
    end: r.ended_at,
    peakC: r.peak_c ?? r.limit_c,
    durationMin: d.durationMin ?? (r.ended_at === null ? 0 : (r.ended_at - r.started_at) / 60_000),
    degreeMinutes: r.degree_minutes ?? 0,
    level: d.level ?? 'warning',
    acknowledgedBy: r.acknowledged_by,
    acknowledgedAt: d.acknowledgedAt ?? null,
    correctiveAction: r.corrective_action,
    closingReadingC: d.closingReadingC ?? null,
  }
}
