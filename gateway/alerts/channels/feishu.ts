/**
 * Feishu / Lark custom bot: POST {base}/open-apis/bot/v2/hook/{hookId} with
 * {timestamp, sign, msg_type: 'text', content: {text}}; sign = base64(HMAC-SHA256(key = `${timestamp}\n${secret}`,
 * message = '')). Limits 100/min and 5/s; body ≤ 20 KB. Code 19021: the signature or timestamp was refused
 * (the timestamp must be within an hour, so a Pi without NTP hits this).
 */
import { classifyStatus, defaultTimeoutMs, parseJson, post } from './http.ts'
import { hmacSha256 } from './signing.ts'
import type { Channel, OutboundMessage, RateLimitSpec, SendContext, SendOutcome } from './types.ts'
import { truncateUtf8 } from './utf8.ts'

export interface FeishuConfig {
  name: string
  hookId: string
  secret?: string
  baseUrl?: string
  timeoutMs?: number
}

// Body limit is 20 KB; leave room for the JSON envelope.
const maxTextBytes = 18_000

/** `timestamp` in seconds, as Feishu expects. */
export function feishuSign(secret: string, timestamp: number): string {
  return hmacSha256(`${timestamp}\n${secret}`, '').toString('base64')
}

export class FeishuChannel implements Channel {
  readonly type = 'feishu'
  readonly name: string
  readonly limits: RateLimitSpec[] = [
    { kind: 'window', max: 100, windowMs: 60_000 },
    { kind: 'window', max: 5, windowMs: 1_000 },
  ]
  readonly #cfg: FeishuConfig

  constructor(cfg: FeishuConfig) {
    this.name = cfg.name
    this.#cfg = cfg
  }

  body(msg: OutboundMessage, now: number): Record<string, unknown> {
    const body: Record<string, unknown> = { msg_type: 'text', content: { text: truncateUtf8(msg.text, maxTextBytes) } }
    if (this.#cfg.secret) {
      const timestamp = Math.floor(now / 1000)
      return { timestamp: String(timestamp), sign: feishuSign(this.#cfg.secret, timestamp), ...body }
    }
    return body
  }

  async send(msg: OutboundMessage, ctx: SendContext): Promise<SendOutcome> {
    const base = (this.#cfg.baseUrl ?? 'https://open.feishu.cn').replace(/\/+$/, '')
    const url = `${base}/open-apis/bot/v2/hook/${encodeURIComponent(this.#cfg.hookId)}`
    const res = await post(url, JSON.stringify(this.body(msg, ctx.now)), { 'Content-Type': 'application/json' }, this.#cfg.timeoutMs ?? defaultTimeoutMs)
    if (!res.ok) return { status: 'retryable', reason: `feishu: ${res.reason}` }
    const json = parseJson(res.reply.text)
    if (res.reply.status !== 200 && json?.code === undefined) return classifyStatus(res.reply, 'feishu')
    return interpretFeishu(json, res.reply.text)
  }
}

export function interpretFeishu(json: Record<string, unknown> | undefined, text: string): SendOutcome {
  // Older deployments answer {StatusCode: 0}; current ones {code: 0}.
  const code = json?.code ?? json?.StatusCode
  if (code === 0) return { status: 'sent' }
  const reason = `feishu code ${String(code)}: ${String(json?.msg ?? json?.StatusMessage ?? text.slice(0, 200))}`
  if (code === 19021) {
    // Retryable: the usual cause is the gateway clock not yet synced, which fixes itself.
    return { status: 'retryable', reason: `${reason} (timestamp or signature refused: check the clock and the secret)` }
  }
  if (code === 9499 || code === 11232) return { status: 'rate-limited', reason, retryAfterMs: 60_000 }
  if (code === undefined) return { status: 'retryable', reason }
  return { status: 'permanent', reason } // e.g. 19024 keyword missing, 19001 bad parameter
}
