/**
 * Drains the outbox into the channels. Each channel has its own queue, limiters and at most one request
 * in flight, and `tick()` never waits for a send: a channel that hangs or fails delays only itself.
 *
 * Per channel, each drain step picks one of:
 *  - an entry already attempted: resent alone, with its original idempotency key;
 *  - the fresh entries, one by one, when the rate limit has room for all of them and none has waited long;
 *  - otherwise (limit tight, a service penalty or quiet hours made them wait) one digest of all of them.
 * An entry is marked sent as soon as the service says so, before anything else is sent.
 */
import type { Clock } from '../../core/clock.ts'
import type { Channel, SendOutcome } from '../channels/types.ts'
import { backoffDelay, defaultBackoff, type BackoffConfig } from './backoff.ts'
import { mergeMessages } from './digest.ts'
import type { Outbox, OutboxEntry } from './outbox.ts'
import { limiterFor, type RateLimiter } from './rateLimit.ts'

export interface DeliveryEvent {
  type: 'sent' | 'retry' | 'rate-limited' | 'dead' | 'merged'
  channel: string
  entryId: string
  reason?: string
  at: number
}

export interface DispatcherOptions {
  outbox: Outbox
  channels: Channel[]
  clock: Clock
  /** [0, 1): injectable for deterministic jitter in tests. */
  random?: () => number
  backoff?: BackoffConfig
  /** Stop retrying a message this long after it was queued (default 24 h); it is kept as 'dead'. */
  giveUpAfterMs?: number
  /** Messages that have waited this long (rate limit, penalty) go out as one digest (default 60 s). */
  digestAfterWaitMs?: number
  newId?: () => string
  onEvent?: (e: DeliveryEvent) => void
}

interface Lane {
  channel: Channel
  limiters: RateLimiter[]
  /** The service told us to stop until then (429, DingTalk 130101). */
  blockedUntil: number
  inFlight?: Promise<void>
}

export class Dispatcher {
  readonly #outbox: Outbox
  readonly #clock: Clock
  readonly #random: () => number
  readonly #backoff: BackoffConfig
  readonly #giveUpAfterMs: number
  readonly #digestAfterWaitMs: number
  readonly #newId: () => string
  readonly #onEvent: (e: DeliveryEvent) => void
  readonly #lanes = new Map<string, Lane>()

  constructor(opts: DispatcherOptions) {
    this.#outbox = opts.outbox
    this.#clock = opts.clock
    this.#random = opts.random ?? Math.random
    this.#backoff = opts.backoff ?? defaultBackoff
    this.#giveUpAfterMs = opts.giveUpAfterMs ?? 24 * 3_600_000
    this.#digestAfterWaitMs = opts.digestAfterWaitMs ?? 60_000
    this.#newId = opts.newId ?? (() => crypto.randomUUID())
    this.#onEvent = opts.onEvent ?? (() => {})
    for (const channel of opts.channels) {
      this.#lanes.set(channel.name, { channel, limiters: channel.limits.map(limiterFor), blockedUntil: 0 })
    }
  }

  /** Start work on every idle channel that may send now. Returns without waiting for the sends. */
  tick(now: number = this.#clock.now()): void {
    for (const lane of this.#lanes.values()) {
      if (lane.inFlight || !this.#ready(lane, now)) continue
      lane.inFlight = this.#drain(lane)
        .catch((err: unknown) => this.#emit('retry', lane, '-', `dispatcher error: ${String(err)}`))
        .finally(() => (lane.inFlight = undefined))
    }
  }

  /** Resolves when no send is in flight (tests, shutdown). */
  async idle(): Promise<void> {
    for (;;) {
      const busy = [...this.#lanes.values()].map((l) => l.inFlight).filter((p) => p !== undefined)
      if (busy.length === 0) return
      await Promise.all(busy)
    }
  }

  #ready(lane: Lane, now: number): boolean {
    return lane.blockedUntil <= now && lane.limiters.every((l) => l.nextFreeAt(now) <= now)
  }

  async #drain(lane: Lane): Promise<void> {
    for (;;) {
      const now = this.#clock.now()
      if (!this.#ready(lane, now)) return
      const due = await this.#outbox.due(lane.channel.name, now)
      if (due.length === 0) return
      const entry = await this.#pick(lane, due, now)
      for (const l of lane.limiters) l.take(now)
      await this.#outbox.beginAttempt(entry.id, now)
      const outcome = await lane.channel.send(entry.message, { idempotencyKey: entry.idempotencyKey, now })
      if (!(await this.#record(lane, { ...entry, attempts: entry.attempts + 1 }, outcome))) return
    }
  }

  async #pick(lane: Lane, due: OutboxEntry[], now: number): Promise<OutboxEntry> {
    const head = due[0] as OutboxEntry
    if (head.attempts > 0) return head
    const fresh = due.filter((e) => e.attempts === 0)
    const room = Math.min(Infinity, ...lane.limiters.map((l) => l.available(now)))
    const waited = fresh.some((e) => e.held || now - e.createdAt >= this.#digestAfterWaitMs)
    if (fresh.length === 1 || (fresh.length <= room && !waited)) return head
    const digest: OutboxEntry = {
      id: this.#newId(),
      channel: lane.channel.name,
      message: mergeMessages(fresh.map((e) => e.message)),
      idempotencyKey: this.#newId(),
      createdAt: Math.min(...fresh.map((e) => e.createdAt)),
      notBefore: now,
      attempts: 0,
      held: false,
      status: 'pending',
    }
    await this.#outbox.merge(fresh.map((e) => e.id), digest)
    this.#emit('merged', lane, digest.id, `${fresh.length} messages`)
    return digest
  }

  /** Returns true when the lane may go on sending. */
  async #record(lane: Lane, entry: OutboxEntry, outcome: SendOutcome): Promise<boolean> {
    const now = this.#clock.now()
    switch (outcome.status) {
      case 'sent':
        await this.#outbox.markSent(entry.id, now)
        this.#emit('sent', lane, entry.id)
        return true
      case 'rate-limited':
        lane.blockedUntil = now + outcome.retryAfterMs
        await this.#outbox.retryLater(entry.id, lane.blockedUntil, outcome.reason)
        this.#emit('rate-limited', lane, entry.id, outcome.reason)
        return false
      case 'retryable':
        if (now - entry.createdAt >= this.#giveUpAfterMs) {
          await this.#outbox.markDead(entry.id, `gave up: ${outcome.reason}`)
          this.#emit('dead', lane, entry.id, outcome.reason)
          return false
        }
        await this.#outbox.retryLater(entry.id, now + backoffDelay(entry.attempts, this.#backoff, this.#random), outcome.reason)
        this.#emit('retry', lane, entry.id, outcome.reason)
        return false
      case 'permanent':
        await this.#outbox.markDead(entry.id, outcome.reason)
        this.#emit('dead', lane, entry.id, outcome.reason)
        return true
    }
  }

  #emit(type: DeliveryEvent['type'], lane: Lane, entryId: string, reason?: string): void {
    try {
      this.#onEvent({ type, channel: lane.channel.name, entryId, reason, at: this.#clock.now() })
    } catch {
      // A failing logger must not stop delivery.
    }
  }
}
