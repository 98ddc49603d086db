/**
 * Retention (DESIGN §3): raw readings for days, rollups / alerts / audit / HACCP for at least two
 * years, sent outbox rows for a week. Deletes in small chunks, each its own short transaction, so
 * group commits slot in between and a PUBACK never waits behind a long prune.
 */
import type { Database } from './database.ts'

const DAY_MS = 86_400_000

export interface RetentionOptions {
  rawDays?: number
  /** Rollups, resolved alerts, audit log, HACCP records. 800 days ≥ 2 years. */
  recordsDays?: number
  sentOutboxDays?: number
  /** Rows per delete transaction. */
  chunk?: number
  /** Free pages returned to the file system per run (PRAGMA incremental_vacuum). */
  vacuumPages?: number
}

export interface PruneResult {
  deleted: Record<string, number>
  vacuumedPages: number
}

interface Target {
  table: string
  /** Its name in the result, when not the table's (raw readings are reported as `readings`). */
  name?: string
  /** Selects rowids (or the primary key of a WITHOUT ROWID table) of rows older than ?1, at most ?2. */
  select: string
  key: string
  days: 'raw' | 'records' | 'outbox'
}

const targets: Target[] = [
  {
    table: 'raw_readings',
    name: 'readings',
    key: '(ts, channel, seq)',
    select: 'SELECT ts, channel, seq FROM raw_readings WHERE ts < ?1 ORDER BY ts LIMIT ?2',
    days: 'raw',
  },
  { table: 'events', key: 'id', select: 'SELECT id FROM events WHERE ts < ?1 ORDER BY ts LIMIT ?2', days: 'raw' },
  {
    table: 'rollups',
    key: '(minute, subject, metric)',
    select: 'SELECT minute, subject, metric FROM rollups WHERE minute < ?1 ORDER BY minute LIMIT ?2',
    days: 'records',
  },
  { table: 'audit_log', key: 'id', select: 'SELECT id FROM audit_log WHERE at < ?1 ORDER BY at LIMIT ?2', days: 'records' },
  {
    table: 'haccp_excursions',
    key: 'id',
    select: 'SELECT id FROM haccp_excursions WHERE ended_at IS NOT NULL AND ended_at < ?1 LIMIT ?2',
    days: 'records',
  },
  { table: 'haccp_calibrations', key: 'id', select: 'SELECT id FROM haccp_calibrations WHERE at < ?1 LIMIT ?2', days: 'records' },
  // Only resolved alerts age out; their alert_audit rows go with them (ON DELETE CASCADE).
  { table: 'alerts', key: 'id', select: "SELECT id FROM alerts WHERE state = 'resolved' AND resolved_at < ?1 LIMIT ?2", days: 'records' },
  {
    table: 'outbox',
    key: 'id',
    select: "SELECT id FROM outbox WHERE state <> 'pending' AND coalesce(sent_at, created_at) < ?1 LIMIT ?2",
    days: 'outbox',
  },
]

export async function prune(db: Database, now: number, options: RetentionOptions = {}): Promise<PruneResult> {
  const days = { raw: options.rawDays ?? 14, records: options.recordsDays ?? 800, outbox: options.sentOutboxDays ?? 7 }
  const chunk = options.chunk ?? 2_000
  const deleted: Record<string, number> = {}
  for (const t of targets) {
    const cutoff = now - days[t.days] * DAY_MS
    let n = 0
    for (;;) {
      const r = await db.transaction((tx) => tx.run(`DELETE FROM ${t.table} WHERE ${t.key} IN (${t.select})`, [cutoff, chunk]))
      n += r.changes
      deleted[t.name ?? t.table] = n
      if (r.changes < chunk) break
      // Let queued commits in before the next chunk.
      await new Promise((resolve) => setImmediate(resolve))
    }
  }
  const before = (await db.get<{ freelist_count: number }>('PRAGMA freelist_count'))?.freelist_count ?? 0
  await db.exec(`PRAGMA incremental_vacuum(${Math.max(0, Math.floor(options.vacuumPages ?? 2_000))})`)
  const after = (await db.get<{ freelist_count: number }>('PRAGMA freelist_count'))?.freelist_count ?? 0
  return { deleted, vacuumedPages: before - after }
}
