/**
 * Storage in memory: for tests of the parts above storage, and to keep the SQLite store honest
 * (both pass test/store/contract.ts). Nothing survives the process.
 */
import type { Reading } from '../contract/readings.ts'
import { readingSubject } from '../contract/readings.ts'
import { newAlert, repeatAlert, transitionAlert } from './alertRecords.ts'
import { rollupDedupeId } from './rollups.ts'
import type {
  AlertAuditEntry, AlertInput, AlertRecord, AuditEntry, EventInput, OutboxInput, OutboxItem, OutboxSize,
  ReadingQuery, Rollup, RollupCursor, StateEntry, Storage, StoredEvent,
} from './types.ts'

interface OutboxRow extends OutboxItem {
  state: 'pending' | 'sent' | 'dropped'
}

const inRange = (t: number, from = -Infinity, to = Infinity): boolean => t >= from && t < to
const byTs = <T extends { ts: number }>(a: T, b: T): number => a.ts - b.ts
const limited = <T>(xs: T[], limit?: number): T[] => (limit === undefined || limit < 0 ? xs : xs.slice(0, limit))
// Deep copies, so callers cannot change what is "stored" (as with a real database).
const copy = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T))

export class MemoryStore implements Storage {
  #readings: Reading[] = []
  #readingKeys = new Set<string>()
  #state = new Map<string, StateEntry>()
  #events: StoredEvent[] = []
  #rollups = new Map<string, Rollup>()
  #outbox: OutboxRow[] = []
  #audit: AuditEntry[] = []
  #kv = new Map<string, string>()
  #alerts = new Map<number, AlertRecord>()
  #alertAudit: AlertAuditEntry[] = []

  async insertReadings(readings: readonly Reading[]): Promise<number> {
    let n = 0
    for (const r of readings) {
      // Same key as the SQLite table: (ts, device, subject, kind, seq or -1).
      const key = `${r.ts}|${r.device}|${readingSubject(r)}|${r.kind}|${r.seq ?? -1}`
      if (this.#readingKeys.has(key)) continue
      this.#readingKeys.add(key)
      this.#readings.push(copy(r))
      n++
    }
    return n
  }

  async readings(q: ReadingQuery): Promise<Reading[]> {
    const hits = this.#readings.filter((r) => (q.subject === undefined || readingSubject(r) === q.subject) && inRange(r.ts, q.from, q.to))
    return limited(hits.sort(byTs), q.limit).map(copy)
  }

  async getState(key: string): Promise<StateEntry | undefined> {
    return copy(this.#state.get(key))
  }
  async putState(key: string, value: unknown, ts: number): Promise<void> {
    this.#state.set(key, copy({ key, value, ts }))
  }
  async listStates(prefix = ''): Promise<StateEntry[]> {
    return [...this.#state.values()].filter((e) => e.key.startsWith(prefix)).sort((a, b) => (a.key < b.key ? -1 : 1)).map(copy)
  }

  async appendEvent(e: EventInput): Promise<boolean> {
    if (e.dedupeKey !== undefined && this.#events.some((x) => x.dedupeKey === e.dedupeKey)) return false
    this.#events.push(copy({ ...e, id: this.#events.length + 1 }))
    return true
  }
  async appendEvents(events: readonly EventInput[]): Promise<number> {
    let fresh = 0
    for (const e of events) if (await this.appendEvent(e)) fresh++
    return fresh
  }
  async listEvents(q: { subject?: string; from?: number; to?: number; limit?: number }): Promise<StoredEvent[]> {
    const hits = this.#events.filter((e) => (q.subject === undefined || e.subject === q.subject) && inRange(e.ts, q.from, q.to))
    return limited(hits.sort(byTs), q.limit).map(copy)
  }

  async writeRollups(rollups: readonly Rollup[], _now: number): Promise<void> {
    for (const r of rollups) this.#rollups.set(rollupDedupeId(r), copy(r))
  }
  async rollupsAfter(cursor: RollupCursor | undefined, limit: number): Promise<Rollup[]> {
    const key = (r: RollupCursor): [number, string, string] => [r.minute, r.subject, r.metric]
    const after = (a: RollupCursor, b: RollupCursor) => {
      const [x, y] = [key(a), key(b)]
      return x[0] !== y[0] ? x[0] > y[0] : x[1] !== y[1] ? x[1] > y[1] : x[2] > y[2]
    }
    return [...this.#rollups.values()]
      .filter((r) => !cursor || after(r, cursor))
      .sort((a, b) => (after(a, b) ? 1 : -1))
      .slice(0, limit)
      .map(copy)
  }
  async listRollups(q: { subject: string; metric?: string; from?: number; to?: number }): Promise<Rollup[]> {
    return [...this.#rollups.values()]
      .filter((r) => r.subject === q.subject && (q.metric === undefined || r.metric === q.metric) && inRange(r.minute, q.from, q.to))
      .sort((a, b) => (a.metric === b.metric ? a.minute - b.minute : a.metric < b.metric ? -1 : 1))
      .map(copy)
  }

  async enqueue(items: readonly OutboxInput[], now: number): Promise<number> {
    let n = 0
    for (const i of items) {
      const bytes = Buffer.byteLength(JSON.stringify(i.payload))
      const existing = this.#outbox.find((o) => o.stream === i.stream && o.dedupeId === i.dedupeId)
      if (existing) {
        if (existing.state === 'pending') Object.assign(existing, { payload: copy(i.payload), bytes })
        continue
      }
      const id = (this.#outbox.at(-1)?.id ?? 0) + 1
      this.#outbox.push({ ...copy(i), id, bytes, createdAt: now, attempts: 0, nextAttemptAt: now, state: 'pending' })
      n++
    }
    return n
  }
  async peek(stream: string, limit: number, now: number): Promise<OutboxItem[]> {
    return this.#outbox
      .filter((o) => o.stream === stream && o.state === 'pending' && o.nextAttemptAt <= now)
      .slice(0, limit)
      .map(({ state: _state, ...item }) => copy(item))
  }
  async ack(ids: readonly number[]): Promise<void> {
    for (const o of this.#outbox) if (ids.includes(o.id) && o.state === 'pending') o.state = 'sent'
  }
  async fail(id: number, _error: string, nextAttemptAt: number): Promise<void> {
    const o = this.#outbox.find((x) => x.id === id && x.state === 'pending')
    if (o) Object.assign(o, { attempts: o.attempts + 1, nextAttemptAt })
  }
  async outboxSize(stream?: string): Promise<OutboxSize> {
    const pending = this.#outbox.filter((o) => o.state === 'pending' && (stream === undefined || o.stream === stream))
    return { rows: pending.length, bytes: pending.reduce((s, o) => s + o.bytes, 0) }
  }
  async trimOutbox(stream: string, maxBytes: number): Promise<number> {
    let excess = (await this.outboxSize(stream)).bytes - maxBytes
    let n = 0
    for (const o of this.#outbox) {
      if (excess <= 0) break
      if (o.stream !== stream || o.state !== 'pending' || o.kind !== 'rollup') continue
      o.state = 'dropped'
      excess -= o.bytes
      n++
    }
    return n
  }

  async appendAudit(e: AuditEntry): Promise<void> {
    this.#audit.push(copy(e))
  }
  async listAudit(q: { from?: number; to?: number; limit?: number }): Promise<AuditEntry[]> {
    return limited(this.#audit.filter((e) => inRange(e.at, q.from, q.to)).sort((a, b) => a.at - b.at), q.limit).map(copy)
  }

  async kvGet(key: string): Promise<string | undefined> {
    return this.#kv.get(key)
  }
  async kvSet(key: string, value: string): Promise<void> {
    this.#kv.set(key, value)
  }

  async raiseAlert(input: AlertInput): Promise<AlertRecord> {
    const open = [...this.#alerts.values()].find((a) => a.rule === input.rule && a.subject === input.subject && a.state !== 'resolved')
    const next = open ? repeatAlert(open, input) : newAlert(this.#alerts.size + 1, input)
    this.#alerts.set(next.id, copy(next))
    if (!open) this.#alertAudit.push({ alertId: next.id, at: input.at, actor: 'system', from: null, to: 'open' })
    return copy(next)
  }
  acknowledgeAlert(id: number, actor: string, at: number, note?: string): Promise<AlertRecord> {
    return this.#transition(id, 'acknowledged', actor, at, note)
  }
  resolveAlert(id: number, actor: string, at: number, note?: string): Promise<AlertRecord> {
    return this.#transition(id, 'resolved', actor, at, note)
  }
  async #transition(id: number, to: 'acknowledged' | 'resolved', actor: string, at: number, note?: string): Promise<AlertRecord> {
    const before = this.#alerts.get(id)
    const after = transitionAlert(before, id, to, actor, at, note)
    this.#alerts.set(id, copy(after))
    this.#alertAudit.push({ alertId: id, at, actor, from: before?.state ?? null, to, ...(note === undefined ? {} : { note }) })
    return copy(after)
  }
  async activeAlerts(): Promise<AlertRecord[]> {
    return [...this.#alerts.values()].filter((a) => a.state !== 'resolved').sort((a, b) => a.openedAt - b.openedAt || a.id - b.id).map(copy)
  }
  async alertAudit(id: number): Promise<AlertAuditEntry[]> {
    return this.#alertAudit.filter((e) => e.alertId === id).map(copy)
  }

  async close(): Promise<void> {}
}
