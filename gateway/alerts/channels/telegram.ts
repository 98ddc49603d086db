/**
 * Telegram bot: POST {base}/bot<token>/sendMessage {chat_id, text, parse_mode?}. About 1 message a
 * second per chat and 20 a minute per group; over the limit Telegram answers 429 with
 * parameters.retry_after (seconds).
 */
import { defaultTimeoutMs, parseJson, post } from './http.ts'
import type { Channel, OutboundMessage, RateLimitSpec, SendContext, SendOutcome } from './types.ts'
import { truncateChars } from './utf8.ts'

export interface TelegramConfig {
  name: string
  botToken: string
  chatId: string | number
  /** A group or channel chat (adds the 20/min limit). */
  group?: boolean
  /** 'HTML' renders the title in bold; plain text by default so nothing needs escaping. */
  parseMode?: 'HTML'
  baseUrl?: string
  timeoutMs?: number
}

const maxChars = 4096

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

export class TelegramChannel implements Channel {
  readonly type = 'telegram'
  readonly name: string
  readonly limits: RateLimitSpec[]
  readonly #cfg: TelegramConfig

  constructor(cfg: TelegramConfig) {
    this.name = cfg.name
    this.#cfg = cfg
    this.limits = [{ kind: 'window', max: 1, windowMs: 1_000 }]
    if (cfg.group) this.limits.push({ kind: 'window', max: 20, windowMs: 60_000 })
  }

  body(msg: OutboundMessage): Record<string, unknown> {
    if (this.#cfg.parseMode === 'HTML') {
      const [first = '', ...rest] = msg.text.split('\n')
      const html = [`<b>${escapeHtml(first)}</b>`, ...rest.map(escapeHtml)].join('\n')
      return { chat_id: this.#cfg.chatId, text: truncateChars(html, maxChars), parse_mode: 'HTML' }
    }
    return { chat_id: this.#cfg.chatId, text: truncateChars(msg.text, maxChars) }
  }

  async send(msg: OutboundMessage, _ctx: SendContext): Promise<SendOutcome> {
    const base = (this.#cfg.baseUrl ?? 'https://api.telegram.org').replace(/\/+$/, '')
    const url = `${base}/bot${this.#cfg.botToken}/sendMessage`
    const res = await post(url, JSON.stringify(this.body(msg)), { 'Content-Type': 'application/json' }, this.#cfg.timeoutMs ?? defaultTimeoutMs)
    if (!res.ok) return { status: 'retryable', reason: `telegram: ${res.reason}` }
    return interpretTelegram(res.reply.status, res.reply.text)
  }
}

export function interpretTelegram(httpStatus: number, text: string): SendOutcome {
  const json = parseJson(text)
  if (httpStatus === 200 && json?.ok === true) return { status: 'sent' }
  const code = typeof json?.error_code === 'number' ? json.error_code : httpStatus
  const reason = `telegram ${code}: ${String(json?.description ?? text.slice(0, 200))}`
  if (code === 429) {
    const params = json?.parameters as { retry_after?: number } | undefined
    return { status: 'rate-limited', reason, retryAfterMs: (params?.retry_after ?? 30) * 1000 }
  }
  if (code >= 500 || code === 408) return { status: 'retryable', reason }
  return { status: 'permanent', reason } // 400 chat not found, 401 bad token, 403 bot removed from the chat
}
