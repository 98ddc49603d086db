/** Alert rows for SqliteStore: read, apply the pure lifecycle (alertRecords.ts), write row + audit. */
import type { Database, Queryable } from './database.ts'
import { newAlert, repeatAlert, transitionAlert } from './alertRecords.ts'
import type { AlertAuditEntry, AlertInput, AlertRecord, AlertState } from './types.ts'

interface AlertRow {
  id: number
  rule: string
  subject: string
  severity: AlertRecord['severity']
  state: AlertState
  message: string | null
  details: string | null
  repeats: number
  opened_at: number
  updated_at: number
  acknowledged_by: string | null
  acknowledged_at: number | null
  resolved_by: string | null
  resolved_at: number | null
  note: string | null
}

function toRecord(r: AlertRow): AlertRecord {
  const opt = <K extends string, V>(k: K, v: V | null): Partial<Record<K, V>> =>
    (v === null ? {} : { [k]: v }) as Partial<Record<K, V>>
  return {
    id: r.id,
    rule: r.rule,
    subject: r.subject,
    severity: r.severity,
    state: r.state,
    repeats: r.repeats,
    openedAt: r.opened_at,
    updatedAt: r.updated_at,
    ...opt('message', r.message),
    ...opt('details', r.details === null ? null : (JSON.parse(r.details) as unknown)),
    ...opt('acknowledgedBy', r.acknowledged_by),
    ...opt('acknowledgedAt', r.acknowledged_at),
    ...opt('resolvedBy', r.resolved_by),
    ...opt('resolvedAt', r.resolved_at),
    ...opt('note', r.note),
  }
}

async function write(tx: Queryable, a: AlertRecord): Promise<void> {
  await tx.run(
    `UPDATE alerts SET severity = ?, state = ?, message = ?, details = ?, repeats = ?, updated_at = ?,
       acknowledged_by = ?, acknowledged_at = ?, resolved_by = ?, resolved_at = ?, note = ? WHERE id = ?`,
    [
      a.severity, a.state, a.message ?? null, a.details === undefined ? null : JSON.stringify(a.details), a.repeats,
      a.updatedAt, a.acknowledgedBy ?? null, a.acknowledgedAt ?? null, a.resolvedBy ?? null, a.resolvedAt ?? null,
      a.note ?? null, a.id,
    ],
  )
}

async function audit(tx: Queryable, e: AlertAuditEntry): Promise<void> {
  await tx.run('INSERT INTO alert_audit (alert_id, at, actor, from_state, to_state, note) VALUES (?, ?, ?, ?, ?, ?)', [
    e.alertId, e.at, e.actor, e.from, e.to, e.note ?? null,
  ])
}

async function byId(q: Queryable, id: number): Promise<AlertRecord | undefined> {
  const row = await q.get<AlertRow>('SELECT * FROM alerts WHERE id = ?', [id])
  return row && toRecord(row)
}

export function raise(db: Database, input: AlertInput): Promise<AlertRecord> {
  return db.transaction(async (tx) => {
    const row = await tx.get<AlertRow>("SELECT * FROM alerts WHERE rule = ? AND subject = ? AND state <> 'resolved'", [
      input.rule, input.subject,
    ])
    if (row) {
      const next = repeatAlert(toRecord(row), input)
      await write(tx, next)
      return next
    }
    const r = await tx.run(
      `INSERT INTO alerts (rule, subject, severity, state, repeats, opened_at, updated_at) VALUES (?, ?, ?, 'open', 0, ?, ?)`,
      [input.rule, input.subject, input.severity, input.at, input.at],
    )
    const created = newAlert(r.lastID, input)
    await write(tx, created)
    await audit(tx, { alertId: created.id, at: input.at, actor: 'system', from: null, to: 'open' })
    return created
  })
}

export function transition(
  db: Database, id: number, to: 'acknowledged' | 'resolved', actor: string, at: number, note?: string,
): Promise<AlertRecord> {
  return db.transaction(async (tx) => {
    const before = await byId(tx, id)
    const after = transitionAlert(before, id, to, actor, at, note)
    await write(tx, after)
    await audit(tx, { alertId: id, at, actor, from: before?.state ?? null, to, ...(note === undefined ? {} : { note }) })
    return after
  })
}

export async function active(q: Queryable): Promise<AlertRecord[]> {
  return (await q.all<AlertRow>("SELECT * FROM alerts WHERE state <> 'resolved' ORDER BY opened_at, id")).map(toRecord)
}

export async function auditOf(q: Queryable, id: number): Promise<AlertAuditEntry[]> {
  const rows = await q.all<{ alert_id: number; at: number; actor: string; from_state: AlertState | null; to_state: AlertState; note: string | null }>(
    'SELECT alert_id, at, actor, from_state, to_state, note FROM alert_audit WHERE alert_id = ? ORDER BY id',
    [id],
  )
  return rows.map((r) => ({
    alertId: r.alert_id, at: r.at, actor: r.actor, from: r.from_state, to: r.to_state,
    ...(r.note === null ? {} : { note: r.note }),
  }))
}
