/**
 * Generic webhook for anything else (a chain's own system, Home Assistant, n8n ...). JSON body; when a
 * secret is set, `X-Shelfgate-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>`. The timestamp is
 * both in the body (so the signature covers it, against replays) and in `X-Shelfgate-Timestamp`.
 * `Idempotency-Key` stays the same across retries so the receiver can drop a duplicate.
 */
import { classifyStatus, defaultTimeoutMs, post } from './http.ts'
import { hmacSha256 } from './signing.ts'
import type { Channel, OutboundMessage, RateLimitSpec, SendContext, SendOutcome } from './types.ts'

export interface WebhookConfig {
  name: string
  url: string
  secret?: string
  limits?: RateLimitSpec[]
  timeoutMs?: number
}

export function webhookSignature(secret: string, rawBody: string): string {
  return `sha256=${hmacSha256(secret, rawBody).toString('hex')}`
}

export class WebhookChannel implements Channel {
  readonly type = 'webhook'
  readonly name: string
  readonly limits: RateLimitSpec[]
  readonly #cfg: WebhookConfig

  constructor(cfg: WebhookConfig) {
    this.name = cfg.name
    this.limits = cfg.limits ?? []
    this.#cfg = cfg
  }

  async send(msg: OutboundMessage, ctx: SendContext): Promise<SendOutcome> {
    const raw = JSON.stringify({
      id: ctx.idempotencyKey,
      timestamp: ctx.now,
      kind: msg.kind,
      severity: msg.severity,
      lang: msg.lang,
      title: msg.title,
      text: msg.text,
      alertIds: msg.alertIds,
      link: msg.link,
    })
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'X-Shelfgate-Timestamp': String(ctx.now),
      'Idempotency-Key': ctx.idempotencyKey,
    }
    if (this.#cfg.secret) headers['X-Shelfgate-Signature'] = webhookSignature(this.#cfg.secret, raw)
    const res = await post(this.#cfg.url, raw, headers, this.#cfg.timeoutMs ?? defaultTimeoutMs)
    if (!res.ok) return { status: 'retryable', reason: `webhook: ${res.reason}` }
    return classifyStatus(res.reply, 'webhook')
  }
}
