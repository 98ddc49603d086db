/**
 * Alert persistence. Async so a sqlite3 (callback/async API) backend fits without changes.
 *
 * SQLite mapping (for the lead):
 *   alerts(id PK, rule, subject, status, json, opened_at, ...) with a partial unique index
 *     ON alerts(rule, subject) WHERE status != 'resolved'  -- enforces "one alert per (rule, subject) while open"
 *   alert_audit(seq INTEGER PK AUTOINCREMENT, alert_id, at, who, what, detail)
 *   `commit` = one transaction: UPSERT the alert row + INSERT the audit rows.
 */
import type { Alert, AuditEntry } from './types.ts'

export interface AlertStore {
  /** The open or acknowledged alert for (rule, subject), if any. */
  findActive(rule: string, subject: string): Promise<Alert | undefined>
  get(id: string): Promise<Alert | undefined>
  /** Every alert not yet resolved: the engine's timers walk these. */
  listActive(): Promise<Alert[]>
  /** Atomically write the alert's new state and append its audit entries. */
  commit(alert: Alert, audit: AuditEntry[]): Promise<void>
  /** Audit trail, oldest first; all alerts when alertId is omitted. */
  audit(alertId?: string): Promise<AuditEntry[]>
  /** The latest alerts of any status, newest first (staff page history). */
  listRecent(limit: number): Promise<Alert[]>
}

/** In-memory store: tests and the demo. Copies on the way in and out so callers cannot mutate state. */
export class MemoryAlertStore implements AlertStore {
  readonly #alerts = new Map<string, Alert>()
  readonly #audit: AuditEntry[] = []

  async findActive(rule: string, subject: string): Promise<Alert | undefined> {
    for (const a of this.#alerts.values()) {
      if (a.rule === rule && a.subject === subject && a.status !== 'resolved') return structuredClone(a)
    }
    return undefined
  }

  async get(id: string): Promise<Alert | undefined> {
    const a = this.#alerts.get(id)
    return a && structuredClone(a)
  }

  async listActive(): Promise<Alert[]> {
    return [...this.#alerts.values()].filter((a) => a.status !== 'resolved').map((a) => structuredClone(a))
  }

  async commit(alert: Alert, audit: AuditEntry[]): Promise<void> {
    this.#alerts.set(alert.id, structuredClone(alert))
    for (const e of audit) this.#audit.push({ ...e })
  }

  async listRecent(limit: number): Promise<Alert[]> {
    return [...this.#alerts.values()].sort((a, b) => b.openedAt - a.openedAt).slice(0, limit).map((a) => structuredClone(a))
  }

  async audit(alertId?: string): Promise<AuditEntry[]> {
    return this.#audit.filter((e) => alertId === undefined || e.alertId === alertId).map((e) => ({ ...e }))
  }
}
