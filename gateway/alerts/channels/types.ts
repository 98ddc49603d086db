/** What every channel sends and how it reports back. A channel is a thin HTTP edge; no retry inside. */
import type { Severity } from '../../contract/conditions.ts'
import type { Lang } from '../i18n.ts'
import type { NotificationKind } from '../types.ts'

export interface OutboundMessage {
  title: string
  /** Plain text, several lines. */
  text: string
  /** The same content as Markdown, for services that render it (WeCom, DingTalk). */
  markdown: string
  severity: Severity
  kind: NotificationKind | 'digest'
  lang: Lang
  alertIds: string[]
  link?: string
  /** Mobile numbers to @-mention in group robots (escalations). */
  mentionMobiles?: string[]
}

export type SendOutcome =
  | { status: 'sent' }
  /** Try again later with backoff: network error, timeout, 5xx, "system busy". */
  | { status: 'retryable'; reason: string }
  /** The service asked us to slow down: the whole channel waits `retryAfterMs`. */
  | { status: 'rate-limited'; reason: string; retryAfterMs: number }
  /** Retrying cannot help (bad key, robot deleted, message refused): needs a person. */
  | { status: 'permanent'; reason: string }

/** A service rate limit: at most `max` sends in any `windowMs`, or a token bucket (ntfy). */
export type RateLimitSpec =
  | { kind: 'window'; max: number; windowMs: number }
  | { kind: 'bucket'; burst: number; refillEveryMs: number }

export interface SendContext {
  /** Stable across retries of the same outbox entry, so a receiver can drop duplicates. */
  idempotencyKey: string
  now: number
}

export interface Channel {
  readonly name: string
  readonly type: 'ntfy' | 'wecom' | 'dingtalk' | 'feishu' | 'telegram' | 'webhook'
  readonly limits: RateLimitSpec[]
  send(msg: OutboundMessage, ctx: SendContext): Promise<SendOutcome>
}
