/** Outbox on the gateway's SQLite file (table alert_outbox, migration v2). */
import type { Queryable } from '../../store/database.ts'
import type { OutboundMessage } from '../channels/types.ts'
import type { Outbox, OutboxEntry, OutboxStatus } from '../delivery/outbox.ts'
import type { UnitOfWork } from './unitOfWork.ts'

interface Row {
  id: string
  channel: string
  status: OutboxStatus
  created_at: number
  not_before: number
  attempts: number
  idempotency_key: string
  held: number
  message_json: string
  last_error: string | null
  sent_at: number | null
  merged_into: string | null
}

function toEntry(r: Row): OutboxEntry {
  return {
    id: r.id,
    channel: r.channel,
    message: JSON.parse(r.message_json) as OutboundMessage,
    idempotencyKey: r.idempotency_key,
    createdAt: r.created_at,
    notBefore: r.not_before,
    attempts: r.attempts,
    held: r.held === 1,
    status: r.status,
    ...(r.last_error === null ? {} : { lastError: r.last_error }),
    ...(r.sent_at === null ? {} : { sentAt: r.sent_at }),
    ...(r.merged_into === null ? {} : { mergedInto: r.merged_into }),
  }
}

async function insert(tx: Queryable, e: OutboxEntry): Promise<void> {
  // OR IGNORE: enqueue is idempotent by id.
  await tx.run(
    // ord: insertion order among equal created_at (max(rowid) is a b-tree edge lookup, not a scan).
    `INSERT OR IGNORE INTO alert_outbox (id, channel, status, created_at, not_before, attempts, idempotency_key, held, message_json, last_error, sent_at, merged_into, ord)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT coalesce(max(rowid), 0) + 1 FROM alert_outbox))`,
    [e.id, e.channel, e.status, e.createdAt, e.notBefore, e.attempts, e.idempotencyKey, e.held ? 1 : 0, JSON.stringify(e.message), e.lastError ?? null, e.sentAt ?? null, e.mergedInto ?? null],
  )
}

export class SqliteOutbox implements Outbox {
  readonly #uow: UnitOfWork

  constructor(uow: UnitOfWork) {
    this.#uow = uow
  }

  enqueue(entry: OutboxEntry): Promise<void> {
    const e = structuredClone(entry)
    return this.#uow.write((tx) => insert(tx, e))
  }

  async due(channel: string, now: number): Promise<OutboxEntry[]> {
    const rows = await this.#uow.db.all<Row>(
      "SELECT * FROM alert_outbox WHERE channel = ? AND status = 'pending' AND not_before <= ? ORDER BY created_at, ord",
      [channel, now],
    )
    return rows.map(toEntry)
  }

  merge(partIds: string[], digest: OutboxEntry): Promise<void> {
    const d = structuredClone(digest)
    return this.#uow.write(async (tx) => {
      await tx.run(
        "UPDATE alert_outbox SET status = 'merged', merged_into = ?1 WHERE id IN (SELECT value FROM json_each(?2))",
        [d.id, JSON.stringify(partIds)],
      )
      await insert(tx, d)
    })
  }

  beginAttempt(id: string, _at: number): Promise<void> {
    return this.#update(id, 'attempts = attempts + 1', [])
  }

  markSent(id: string, at: number): Promise<void> {
    return this.#update(id, "status = 'sent', sent_at = ?", [at])
  }

  retryLater(id: string, notBefore: number, error: string): Promise<void> {
    return this.#update(id, 'not_before = ?, last_error = ?', [notBefore, error])
  }

  markDead(id: string, error: string): Promise<void> {
    return this.#update(id, "status = 'dead', last_error = ?", [error])
  }

  async get(id: string): Promise<OutboxEntry | undefined> {
    const row = await this.#uow.db.get<Row>('SELECT * FROM alert_outbox WHERE id = ?', [id])
    return row && toEntry(row)
  }

  async list(channel?: string): Promise<OutboxEntry[]> {
    const rows = await this.#uow.db.all<Row>('SELECT * FROM alert_outbox WHERE ?1 IS NULL OR channel = ?1 ORDER BY created_at, ord', [channel ?? null])
    return rows.map(toEntry)
  }

  #update(id: string, set: string, params: unknown[]): Promise<void> {
    return this.#uow.write(async (tx) => {
      const r = await tx.run(`UPDATE alert_outbox SET ${set} WHERE id = ?`, [...params, id])
      if (r.changes === 0) throw new Error(`outbox has no entry ${id}`)
    })
  }
}
