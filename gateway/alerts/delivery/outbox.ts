/**
 * The durable queue every notification passes through. In memory here; the lead backs it with SQLite:
 *
 *   alert_outbox(id TEXT PK, channel TEXT, status TEXT, created_at INT, not_before INT, attempts INT,
 *                idempotency_key TEXT, held INT, message_json TEXT, last_error TEXT, sent_at INT, merged_into TEXT)
 *   INDEX ON alert_outbox(channel, status, not_before)
 *   `merge` = one transaction (INSERT the digest, UPDATE the parts to 'merged').
 */
import type { OutboundMessage } from '../channels/types.ts'

export type OutboxStatus = 'pending' | 'sent' | 'merged' | 'dead'

export interface OutboxEntry {
  id: string
  channel: string
  message: OutboundMessage
  /** Stays the same for every attempt of this entry: receivers drop duplicates by it. */
  idempotencyKey: string
  createdAt: number
  notBefore: number
  /** Attempts started. Counted before the request goes out, so an entry whose fate is unknown after a
   * crash is never folded into a digest under a new key. */
  attempts: number
  /** Held for quiet hours: always released as part of a digest. */
  held: boolean
  status: OutboxStatus
  lastError?: string
  sentAt?: number
  mergedInto?: string
}

export interface Outbox {
  enqueue(entry: OutboxEntry): Promise<void>
  /** Pending entries of one channel with notBefore ≤ now, oldest first. */
  due(channel: string, now: number): Promise<OutboxEntry[]>
  /** Atomically insert `digest` and mark `partIds` as merged into it. */
  merge(partIds: string[], digest: OutboxEntry): Promise<void>
  beginAttempt(id: string, at: number): Promise<void>
  markSent(id: string, at: number): Promise<void>
  retryLater(id: string, notBefore: number, error: string): Promise<void>
  markDead(id: string, error: string): Promise<void>
  get(id: string): Promise<OutboxEntry | undefined>
  /** For the staff page and tests: entries of a channel (all channels when omitted), oldest first. */
  list(channel?: string): Promise<OutboxEntry[]>
}

export class MemoryOutbox implements Outbox {
  readonly #entries = new Map<string, OutboxEntry>()

  async enqueue(entry: OutboxEntry): Promise<void> {
    if (this.#entries.has(entry.id)) return // enqueue is idempotent by id
    this.#entries.set(entry.id, structuredClone(entry))
  }

  async due(channel: string, now: number): Promise<OutboxEntry[]> {
    return this.#sorted().filter((e) => e.channel === channel && e.status === 'pending' && e.notBefore <= now)
  }

  async merge(partIds: string[], digest: OutboxEntry): Promise<void> {
    for (const id of partIds) this.#mutate(id, (e) => ((e.status = 'merged'), (e.mergedInto = digest.id)))
    this.#entries.set(digest.id, structuredClone(digest))
  }

  async beginAttempt(id: string, _at: number): Promise<void> {
    this.#mutate(id, (e) => (e.attempts += 1))
  }

  async markSent(id: string, at: number): Promise<void> {
    this.#mutate(id, (e) => ((e.status = 'sent'), (e.sentAt = at)))
  }

  async retryLater(id: string, notBefore: number, error: string): Promise<void> {
    this.#mutate(id, (e) => ((e.notBefore = notBefore), (e.lastError = error)))
  }

  async markDead(id: string, error: string): Promise<void> {
    this.#mutate(id, (e) => ((e.status = 'dead'), (e.lastError = error)))
  }

  async get(id: string): Promise<OutboxEntry | undefined> {
    const e = this.#entries.get(id)
    return e && structuredClone(e)
  }

  async list(channel?: string): Promise<OutboxEntry[]> {
    return this.#sorted().filter((e) => channel === undefined || e.channel === channel)
  }

  #sorted(): OutboxEntry[] {
    // Map keeps insertion order; a stable sort on createdAt keeps it for equal times.
    return [...this.#entries.values()].sort((a, b) => a.createdAt - b.createdAt).map((e) => structuredClone(e))
  }

  #mutate(id: string, fn: (e: OutboxEntry) => unknown): void {
    const e = this.#entries.get(id)
    if (!e) throw new Error(`outbox has no entry ${id}`)
    fn(e)
  }
}
