/**
 * DingTalk (钉钉) custom robot: POST {base}/robot/send?access_token=TOKEN, optionally signed with
 * timestamp (ms) + sign = urlencode(base64(HMAC-SHA256(secret, `${timestamp}\n${secret}`))).
 * 20 messages a minute; going over throttles the robot for 10 minutes (errcode 130101), so we stay
 * under the window and back off a full 10 minutes when told.
 */
import { classifyStatus, defaultTimeoutMs, parseJson, post } from './http.ts'
import { hmacSha256 } from './signing.ts'
import type { Channel, OutboundMessage, RateLimitSpec, SendContext, SendOutcome } from './types.ts'
import { truncateUtf8 } from './utf8.ts'

export interface DingtalkConfig {
  name: string
  accessToken: string
  /** The robot's "加签" secret (SEC...), if signing is on. */
  secret?: string
  baseUrl?: string
  format?: 'markdown' | 'text'
  timeoutMs?: number
}

export const dingtalkPenaltyMs = 10 * 60_000
// Not a documented figure: a conservative cap so a long digest never gets refused.
const maxBytes = 4000

export function dingtalkSign(secret: string, timestamp: number): string {
  return hmacSha256(secret, `${timestamp}\n${secret}`).toString('base64')
}

export class DingtalkChannel implements Channel {
  readonly type = 'dingtalk'
  readonly name: string
  readonly limits: RateLimitSpec[] = [{ kind: 'window', max: 20, windowMs: 60_000 }]
  readonly #cfg: DingtalkConfig

  constructor(cfg: DingtalkConfig) {
    this.name = cfg.name
    this.#cfg = cfg
  }

  body(msg: OutboundMessage): Record<string, unknown> {
    const mobiles = msg.mentionMobiles ?? []
    // DingTalk only pings someone whose @mobile also appears in the text.
    const atLine = mobiles.length > 0 ? `\n${mobiles.map((m) => `@${m}`).join(' ')}` : ''
    const at = { atMobiles: mobiles, isAtAll: false }
    if ((this.#cfg.format ?? 'markdown') === 'text') {
      return { msgtype: 'text', text: { content: truncateUtf8(msg.text, maxBytes) + atLine }, at }
    }
    return { msgtype: 'markdown', markdown: { title: msg.title, text: truncateUtf8(msg.markdown, maxBytes) + atLine }, at }
  }

  url(now: number): string {
    const base = (this.#cfg.baseUrl ?? 'https://oapi.dingtalk.com').replace(/\/+$/, '')
    let url = `${base}/robot/send?access_token=${encodeURIComponent(this.#cfg.accessToken)}`
    if (this.#cfg.secret) url += `&timestamp=${now}&sign=${encodeURIComponent(dingtalkSign(this.#cfg.secret, now))}`
    return url
  }

  async send(msg: OutboundMessage, ctx: SendContext): Promise<SendOutcome> {
    const res = await post(this.url(ctx.now), JSON.stringify(this.body(msg)), { 'Content-Type': 'application/json' }, this.#cfg.timeoutMs ?? defaultTimeoutMs)
    if (!res.ok) return { status: 'retryable', reason: `dingtalk: ${res.reason}` }
    if (res.reply.status !== 200) return classifyStatus(res.reply, 'dingtalk')
    return interpretDingtalk(res.reply.text)
  }
}

export function interpretDingtalk(text: string): SendOutcome {
  const json = parseJson(text)
  const code = json?.errcode
  if (code === 0) return { status: 'sent' }
  const reason = `dingtalk errcode ${String(code)}: ${String(json?.errmsg ?? text.slice(0, 200))}`
  if (code === 130101) return { status: 'rate-limited', reason, retryAfterMs: dingtalkPenaltyMs } // send too fast
  if (code === -1 || code === undefined) return { status: 'retryable', reason }
  // 310000: keyword / signature / IP check failed (a wrong clock also breaks the signature); 300001: bad token.
  return { status: 'permanent', reason }
}
