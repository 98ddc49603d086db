/**
 * AlertStore on the gateway's SQLite file (tables alert_records and alert_transitions, migration v2).
 * The row keeps the whole Alert as JSON; rule, subject and status are columns so the partial unique
 * index enforces one open alert per (rule, subject) in storage too.
 */
import type { Queryable } from '../../store/database.ts'
import type { AlertStore } from '../store.ts'
import type { Alert, AuditEntry } from '../types.ts'
import type { UnitOfWork } from './unitOfWork.ts'

interface TransitionRow {
  alert_id: string
  at: number
  who: string
  what: AuditEntry['what']
  detail: string | null
}

const parse = (row: { json: string } | undefined): Alert | undefined => row && (JSON.parse(row.json) as Alert)

export class SqliteAlertStore implements AlertStore {
  readonly #uow: UnitOfWork

  constructor(uow: UnitOfWork) {
    this.#uow = uow
  }

  async findActive(rule: string, subject: string): Promise<Alert | undefined> {
    return parse(await this.#q().get<{ json: string }>("SELECT json FROM alert_records WHERE rule = ? AND subject = ? AND status <> 'resolved'", [rule, subject]))
  }

  async get(id: string): Promise<Alert | undefined> {
    return parse(await this.#q().get<{ json: string }>('SELECT json FROM alert_records WHERE id = ?', [id]))
  }

  async listActive(): Promise<Alert[]> {
    const rows = await this.#q().all<{ json: string }>("SELECT json FROM alert_records WHERE status <> 'resolved' ORDER BY opened_at, id")
    return rows.map((r) => JSON.parse(r.json) as Alert)
  }

  /** Newest first; for the staff page's history. */
  async listRecent(limit: number): Promise<Alert[]> {
    const rows = await this.#q().all<{ json: string }>('SELECT json FROM alert_records ORDER BY opened_at DESC, id LIMIT ?', [limit])
    return rows.map((r) => JSON.parse(r.json) as Alert)
  }

  commit(alert: Alert, audit: AuditEntry[]): Promise<void> {
    const json = JSON.stringify(alert)
    const updatedAt = Math.max(alert.lastSeenAt, alert.acknowledged?.at ?? 0, alert.resolved?.at ?? 0, alert.lastNotifiedAt ?? 0)
    const entries = audit.map((e) => ({ ...e }))
    return this.#uow.write(async (tx: Queryable) => {
      await tx.run(
        `INSERT INTO alert_records (id, rule, subject, status, severity, area, opened_at, updated_at, json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, severity = excluded.severity,
           updated_at = excluded.updated_at, json = excluded.json`,
        [alert.id, alert.rule, alert.subject, alert.status, alert.severity, alert.area, alert.openedAt, updatedAt, json],
      )
      for (const e of entries) {
        await tx.run('INSERT INTO alert_transitions (alert_id, at, who, what, detail) VALUES (?, ?, ?, ?, ?)', [e.alertId, e.at, e.who, e.what, e.detail ?? null])
      }
    })
  }

  async audit(alertId?: string): Promise<AuditEntry[]> {
    const rows = await this.#q().all<TransitionRow>(
      'SELECT alert_id, at, who, what, detail FROM alert_transitions WHERE ?1 IS NULL OR alert_id = ?1 ORDER BY seq',
      [alertId ?? null],
    )
    return rows.map((r) => ({ alertId: r.alert_id, at: r.at, who: r.who, what: r.what, ...(r.detail === null ? {} : { detail: r.detail }) }))
  }

  #q(): Queryable {
    return this.#uow.db
  }
}
