/**
 * When the clock becomes synchronised, records stamped during the unsynced period are moved by the
 * offset, in one transaction, so HACCP records and charts show real times. Rollup minutes move by
 * whole minutes (they stay aligned). Rows that would collide with existing ones are left in place
 * and counted.
 */
import type { ClockSync } from '../core/gatewayClock.ts'
import type { Database } from '../store/database.ts'

export interface CorrectionResult {
  readings: number
  events: number
  rollups: number
  audit: number
}

export async function correctTimestamps(db: Database, sync: ClockSync): Promise<CorrectionResult> {
  const { from, to, offsetMs } = sync
  const minutes = Math.round(offsetMs / 60_000) * 60_000
  return db.transaction(async (tx) => {
    const readings = (await tx.run('UPDATE OR IGNORE raw_readings SET ts = ts + ?1 WHERE ts BETWEEN ?2 AND ?3', [offsetMs, from, to])).changes
    const events = (await tx.run('UPDATE OR IGNORE events SET ts = ts + ?1 WHERE ts BETWEEN ?2 AND ?3', [offsetMs, from, to])).changes
    const rollups = (await tx.run('UPDATE OR IGNORE rollups SET minute = minute + ?1 WHERE minute BETWEEN ?2 AND ?3', [minutes, from - 60_000, to])).changes
    const audit = (await tx.run('UPDATE audit_log SET at = at + ?1 WHERE at BETWEEN ?2 AND ?3', [offsetMs, from, to])).changes
    await tx.run('INSERT INTO audit_log (at, actor, action, target, details) VALUES (?1, ?2, ?3, ?4, ?5)', [
      to + offsetMs,
      'gateway',
      'clock.synced',
      'clock',
      JSON.stringify({ offsetMs, from, to, readings, events, rollups }),
    ])
    return { readings, events, rollups, audit }
  })
}

/** The newest time the database has seen: the unsynced clock never starts before it. */
export async function newestStoredTs(db: Database): Promise<number | undefined> {
  const row = await db.get<{ ts: number | null }>('SELECT max(ts) AS ts FROM raw_readings')
  return row?.ts ?? undefined
}
