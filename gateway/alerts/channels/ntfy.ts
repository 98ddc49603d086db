/**
 * ntfy: POST the plain-text message to the topic URL; title, priority and tags go in headers
 * (https://docs.ntfy.sh/publish/). Non-ASCII header values are RFC 2047 encoded, which ntfy decodes.
 */
import { classifyStatus, defaultTimeoutMs, post } from './http.ts'
import { headerValue } from './signing.ts'
import type { Channel, OutboundMessage, RateLimitSpec, SendContext, SendOutcome } from './types.ts'
import { truncateUtf8 } from './utf8.ts'

export interface NtfyConfig {
  name: string
  /** Full topic URL, e.g. https://ntfy.example.com/store-0412 */
  url: string
  token?: string
  timeoutMs?: number
}

const priority = { info: 'default', warning: 'high', critical: 'max' } as const
const tags = { info: 'information_source', warning: 'warning', critical: 'rotating_light' } as const

// ntfy turns longer messages into attachments; keep alerts inline.
const maxMessageBytes = 4096

export class NtfyChannel implements Channel {
  readonly type = 'ntfy'
  readonly name: string
  // ntfy server defaults: visitor request burst 60, one more every 5 s.
  readonly limits: RateLimitSpec[] = [{ kind: 'bucket', burst: 60, refillEveryMs: 5_000 }]
  readonly #cfg: NtfyConfig

  constructor(cfg: NtfyConfig) {
    this.name = cfg.name
    this.#cfg = cfg
  }

  async send(msg: OutboundMessage, _ctx: SendContext): Promise<SendOutcome> {
    const headers: Record<string, string> = {
      'Content-Type': 'text/plain; charset=utf-8',
      Title: headerValue(msg.title),
      Priority: priority[msg.severity],
      Tags: msg.kind === 'resolved' ? 'white_check_mark' : tags[msg.severity],
    }
    if (msg.link) headers.Click = msg.link
    if (this.#cfg.token) headers.Authorization = `Bearer ${this.#cfg.token}`
    const body = truncateUtf8(msg.text, maxMessageBytes)
    const res = await post(this.#cfg.url, body, headers, this.#cfg.timeoutMs ?? defaultTimeoutMs)
    if (!res.ok) return { status: 'retryable', reason: `ntfy: ${res.reason}` }
    return classifyStatus(res.reply, 'ntfy')
  }
}
