/** The one place channels touch the network: a POST with a timeout that never throws. */
import type { SendOutcome } from './types.ts'

export interface HttpReply {
  status: number
  headers: Headers
  text: string
}

export type HttpResult = { ok: true; reply: HttpReply } | { ok: false; reason: string }

export async function post(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<HttpResult> {
  try {
    const res = await fetch(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(timeoutMs) })
    return { ok: true, reply: { status: res.status, headers: res.headers, text: await res.text() } }
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } }
    return { ok: false, reason: e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e.cause?.code ?? e.message) }
  }
}

export function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text)
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** Retry-After in seconds (the HTTP-date form is rare for these services and treated as unknown). */
export function retryAfterMs(headers: Headers, fallbackMs: number): number {
  const v = Number(headers.get('retry-after'))
  return Number.isFinite(v) && v > 0 ? v * 1000 : fallbackMs
}

/** The usual reading of a status code when the service says nothing more specific. */
export function classifyStatus(reply: HttpReply, service: string): SendOutcome {
  const { status } = reply
  if (status >= 200 && status < 300) return { status: 'sent' }
  const reason = `${service} HTTP ${status}: ${reply.text.slice(0, 200)}`
  if (status === 429) return { status: 'rate-limited', reason, retryAfterMs: retryAfterMs(reply.headers, 60_000) }
  if (status === 408 || status >= 500) return { status: 'retryable', reason }
  return { status: 'permanent', reason }
}

export const defaultTimeoutMs = 10_000
