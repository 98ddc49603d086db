/**
 * WeCom (企业微信) group robot: POST {base}/cgi-bin/webhook/send?key=KEY. Text ≤ 2048 bytes,
 * markdown ≤ 4096 bytes; 20 messages a minute per robot. Errors come back as HTTP 200 with errcode ≠ 0.
 */
import { classifyStatus, defaultTimeoutMs, parseJson, post } from './http.ts'
import type { Channel, OutboundMessage, RateLimitSpec, SendContext, SendOutcome } from './types.ts'
import { truncateUtf8 } from './utf8.ts'

export interface WecomConfig {
  name: string
  key: string
  baseUrl?: string
  format?: 'markdown' | 'text'
  timeoutMs?: number
}

const textMaxBytes = 2048
const markdownMaxBytes = 4096

export class WecomChannel implements Channel {
  readonly type = 'wecom'
  readonly name: string
  readonly limits: RateLimitSpec[] = [{ kind: 'window', max: 20, windowMs: 60_000 }]
  readonly #cfg: WecomConfig

  constructor(cfg: WecomConfig) {
    this.name = cfg.name
    this.#cfg = cfg
  }

  body(msg: OutboundMessage): Record<string, unknown> {
    const mentions = msg.mentionMobiles ?? []
    // Only the text type can @-mention by mobile number, so escalations with mentions go as text.
    if ((this.#cfg.format ?? 'markdown') === 'text' || mentions.length > 0) {
      const text: Record<string, unknown> = { content: truncateUtf8(msg.text, textMaxBytes) }
      if (mentions.length > 0) text.mentioned_mobile_list = mentions
      return { msgtype: 'text', text }
    }
    return { msgtype: 'markdown', markdown: { content: truncateUtf8(msg.markdown, markdownMaxBytes) } }
  }

  async send(msg: OutboundMessage, _ctx: SendContext): Promise<SendOutcome> {
    const base = (this.#cfg.baseUrl ?? 'https://qyapi.weixin.qq.com').replace(/\/+$/, '')
    const url = `${base}/cgi-bin/webhook/send?key=${encodeURIComponent(this.#cfg.key)}`
    const res = await post(url, JSON.stringify(this.body(msg)), { 'Content-Type': 'application/json' }, this.#cfg.timeoutMs ?? defaultTimeoutMs)
    if (!res.ok) return { status: 'retryable', reason: `wecom: ${res.reason}` }
    if (res.reply.status !== 200) return classifyStatus(res.reply, 'wecom')
    return interpretWecom(res.reply.text)
  }
}

export function interpretWecom(text: string): SendOutcome {
  const json = parseJson(text)
  const code = json?.errcode
  if (code === 0) return { status: 'sent' }
  const reason = `wecom errcode ${String(code)}: ${String(json?.errmsg ?? text.slice(0, 200))}`
  if (code === 45009) return { status: 'rate-limited', reason, retryAfterMs: 60_000 } // api freq out of limit
  if (code === -1 || code === undefined) return { status: 'retryable', reason } // system busy / unreadable answer
  return { status: 'permanent', reason } // e.g. 93000 invalid webhook key, 40058 bad parameter
}
