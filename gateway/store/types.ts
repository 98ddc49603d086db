/**
 * What the gateway needs from storage. Two implementations pass one contract suite
 * (test/store/contract.ts): SQLite for the Pi, memory for tests and the demo's throwaway mode.
 * All `at` / `ts` / `now` values are ms since epoch from the injected Clock.
 */
import type { Reading } from '../contract/readings.ts'

export interface ReadingQuery {
  subject?: string
  /** Inclusive. */
  from?: number
  /** Exclusive. */
  to?: number
  limit?: number
}

export interface StateEntry {
  key: string
  value: unknown
  ts: number
}

export interface EventInput {
  ts: number
  /** pick, put, deposit, pickup… */
  type: string
  subject: string
  data?: unknown
  /** Same key twice is stored once (a processor replaying after restart). */
  dedupeKey?: string
}
export interface StoredEvent extends EventInput {
  id: number
}

/** One closed minute of one metric of one subject. */
export interface Rollup {
  subject: string
  metric: string
  /** Epoch ms of the minute's start. */
  minute: number
  min: number
  max: number
  sum: number
  count: number
  last: number
}

/** Position in the rollups table, in (minute, subject, metric) order. */
export type RollupCursor = Pick<Rollup, 'minute' | 'subject' | 'metric'>

export type OutboxKind = 'rollup' | 'alert' | 'haccp' | 'health'

export interface OutboxInput {
  /** 'cloud' or 'channel:<name>'. */
  stream: string
  kind: OutboxKind
  /** Unique per stream: enqueueing it again updates a pending item and leaves a sent one alone. */
  dedupeId: string
  payload: unknown
}
export interface OutboxItem extends OutboxInput {
  id: number
  bytes: number
  createdAt: number
  attempts: number
  nextAttemptAt: number
}
export interface OutboxSize {
  rows: number
  bytes: number
}

export interface AuditEntry {
  at: number
  actor: string
  action: string
  target?: string
  details?: unknown
}

export type AlertSeverity = 'info' | 'warning' | 'critical'
export type AlertState = 'open' | 'acknowledged' | 'resolved'

export interface AlertInput {
  rule: string
  subject: string
  severity: AlertSeverity
  message?: string
  details?: unknown
  at: number
}
export interface AlertRecord {
  id: number
  rule: string
  subject: string
  severity: AlertSeverity
  state: AlertState
  message?: string
  details?: unknown
  /** How many times it was raised again while not resolved. */
  repeats: number
  openedAt: number
  updatedAt: number
  acknowledgedBy?: string
  acknowledgedAt?: number
  resolvedBy?: string
  resolvedAt?: number
  note?: string
}
export interface AlertAuditEntry {
  alertId: number
  at: number
  actor: string
  from: AlertState | null
  to: AlertState
  note?: string
}

export interface Storage {
  /** One transaction; duplicates (same device, seq, ts) are ignored. Returns rows newly stored. */
  insertReadings(readings: readonly Reading[]): Promise<number>
  /** Ascending by ts. */
  readings(query: ReadingQuery): Promise<Reading[]>

  getState(key: string): Promise<StateEntry | undefined>
  putState(key: string, value: unknown, ts: number): Promise<void>
  listStates(prefix?: string): Promise<StateEntry[]>

  /** false when the dedupe key was already stored. */
  appendEvent(event: EventInput): Promise<boolean>
  /** Several events in one transaction; returns how many were new (duplicates by dedupeKey are ignored). */
  appendEvents(events: readonly EventInput[]): Promise<number>
  listEvents(query: { subject?: string; from?: number; to?: number; limit?: number }): Promise<StoredEvent[]>

  /** Upserts the minutes and enqueues each into stream 'cloud', in one transaction. */
  writeRollups(rollups: readonly Rollup[], now: number): Promise<void>
  listRollups(query: { subject: string; metric?: string; from?: number; to?: number }): Promise<Rollup[]>
  /**
   * Closed minutes after `cursor` in (minute, subject, metric) order: how the cloud bridge reads
   * rollups. They are not copied into the outbox, which halves what a minute costs on the SD card;
   * the bridge keeps its cursor in kv.
   */
  rollupsAfter(cursor: RollupCursor | undefined, limit: number): Promise<Rollup[]>

  /** Returns how many new items were queued. */
  enqueue(items: readonly OutboxInput[], now: number): Promise<number>
  /** Oldest first, pending and due. */
  peek(stream: string, limit: number, now: number): Promise<OutboxItem[]>
  ack(ids: readonly number[], now: number): Promise<void>
  fail(id: number, error: string, nextAttemptAt: number): Promise<void>
  outboxSize(stream?: string): Promise<OutboxSize>
  /** Size cap (DESIGN §7): drops the oldest pending rollups, never alerts or HACCP. Returns rows dropped. */
  trimOutbox(stream: string, maxBytes: number): Promise<number>

  appendAudit(entry: AuditEntry): Promise<void>
  listAudit(query: { from?: number; to?: number; limit?: number }): Promise<AuditEntry[]>

  kvGet(key: string): Promise<string | undefined>
  kvSet(key: string, value: string, now: number): Promise<void>

  /** Opens an alert, or updates (repeats + 1, severity, message) the one not yet resolved. */
  raiseAlert(input: AlertInput): Promise<AlertRecord>
  acknowledgeAlert(id: number, actor: string, at: number, note?: string): Promise<AlertRecord>
  resolveAlert(id: number, actor: string, at: number, note?: string): Promise<AlertRecord>
  /** Open and acknowledged alerts, oldest first. */
  activeAlerts(): Promise<AlertRecord[]>
  alertAudit(id: number): Promise<AlertAuditEntry[]>

  close(): Promise<void>
}
