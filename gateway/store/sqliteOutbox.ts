/** Outbox statements for SqliteStore. The bridge process runs the same queries on the same file (WAL). */
import type { Queryable } from './database.ts'
import type { OutboxInput, OutboxItem, OutboxSize } from './types.ts'

interface OutboxRow {
  id: number
  stream: string
  kind: OutboxItem['kind']
  dedupe_id: string
  payload: string
  bytes: number
  created_at: number
  attempts: number
  next_attempt_at: number
}

function toItem(r: OutboxRow): OutboxItem {
  return {
    id: r.id,
    stream: r.stream,
    kind: r.kind,
    dedupeId: r.dedupe_id,
    payload: JSON.parse(r.payload),
    bytes: r.bytes,
    createdAt: r.created_at,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
  }
}

/** Call inside a transaction. One statement for new items, one to refresh still-pending duplicates. */
export async function enqueueIn(tx: Queryable, items: readonly OutboxInput[], now: number): Promise<number> {
  if (items.length === 0) return 0
  const batch = JSON.stringify(items.map((i) => [i.stream, i.kind, i.dedupeId, JSON.stringify(i.payload)]))
  const inserted = await tx.run(
    `INSERT OR IGNORE INTO outbox (stream, kind, dedupe_id, payload, bytes, created_at, next_attempt_at)
     SELECT value->>0, value->>1, value->>2, value->>3, length(CAST(value->>3 AS BLOB)), ?1, ?1
     FROM json_each(?2)`,
    [now, batch],
  )
  await tx.run(
    `UPDATE outbox SET payload = j.value->>3, bytes = length(CAST(j.value->>3 AS BLOB))
     FROM json_each(?1) AS j
     WHERE outbox.stream = j.value->>0 AND outbox.dedupe_id = j.value->>2
       AND outbox.state = 'pending' AND outbox.payload <> j.value->>3`,
    [batch],
  )
  return inserted.changes
}

export async function peek(q: Queryable, stream: string, limit: number, now: number): Promise<OutboxItem[]> {
  const rows = await q.all<OutboxRow>(
    `SELECT id, stream, kind, dedupe_id, payload, bytes, created_at, attempts, next_attempt_at FROM outbox
     WHERE stream = ? AND state = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?`,
    [stream, now, limit],
  )
  return rows.map(toItem)
}

export async function ack(q: Queryable, ids: readonly number[], now: number): Promise<void> {
  if (ids.length === 0) return
  await q.run(
    `UPDATE outbox SET state = 'sent', sent_at = ?, last_error = NULL
     WHERE state = 'pending' AND id IN (SELECT value FROM json_each(?))`,
    [now, JSON.stringify(ids)],
  )
}

export async function fail(q: Queryable, id: number, error: string, nextAttemptAt: number): Promise<void> {
  await q.run(
    `UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ? AND state = 'pending'`,
    [error, nextAttemptAt, id],
  )
}

export async function size(q: Queryable, stream?: string): Promise<OutboxSize> {
  const row = await q.get<{ rows: number; bytes: number | null }>(
    `SELECT count(*) AS rows, sum(bytes) AS bytes FROM outbox WHERE state = 'pending' AND (?1 IS NULL OR stream = ?1)`,
    [stream ?? null],
  )
  return { rows: row?.rows ?? 0, bytes: row?.bytes ?? 0 }
}

/** Call inside a transaction: marks the oldest pending rollups 'dropped' until the stream fits maxBytes. */
export async function trimIn(tx: Queryable, stream: string, maxBytes: number): Promise<number> {
  const { bytes } = await size(tx, stream)
  const excess = bytes - maxBytes
  if (excess <= 0) return 0
  const r = await tx.run(
    `UPDATE outbox SET state = 'dropped' WHERE id IN (
       SELECT id FROM (
         SELECT id, bytes, sum(bytes) OVER (ORDER BY id) AS run FROM outbox
         WHERE stream = ? AND state = 'pending' AND kind = 'rollup')
       WHERE run - bytes < ?)`,
    [stream, excess],
  )
  return r.changes
}
