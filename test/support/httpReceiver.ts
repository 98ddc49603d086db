/**
 * A local HTTP receiver standing in for WeCom, DingTalk, Feishu, Telegram, ntfy or a webhook: listens on
 * 127.0.0.1 on a random port, records every request, and answers from a script (fail N times, 429,
 * a service's error JSON, or never answer) before falling back to its default reply.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RecordedRequest {
  method: string
  path: string
  query: Record<string, string>
  headers: IncomingHttpHeaders
  body: string
  /** What the receiver answered (undefined while held). */
  answered?: number
}

export interface Reply {
  status: number
  body: string
  headers?: Record<string, string>
  /** Never answer: the client must time out. */
  hang?: boolean
}

export interface HttpReceiver {
  url: string
  requests: RecordedRequest[]
  /** Answer the next `times` requests with `reply`, then go back to the default. */
  script(reply: Reply, times?: number): void
  failNext(times: number, status?: number): void
  tooManyRequests(times: number, retryAfterSec: number, body?: string): void
  answerJson(json: unknown, times?: number, status?: number): void
  hangNext(times: number): void
  /** Resolves once at least `count` requests have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<void>
  close(): Promise<void>
}

export async function startHttpReceiver(defaultReply: Reply = { status: 200, body: '{"errcode":0,"errmsg":"ok"}' }): Promise<HttpReceiver> {
  const requests: RecordedRequest[] = []
  const queue: Reply[] = []
  const held: ServerResponse[] = []
  const waiters: Array<() => void> = []

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://127.0.0.1')
      const rec: RecordedRequest = {
        method: req.method ?? '',
        path: u.pathname,
        query: Object.fromEntries(u.searchParams),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      }
      requests.push(rec)
      for (const w of waiters.splice(0)) w()
      const reply = queue.shift() ?? defaultReply
      if (reply.hang) {
        held.push(res)
        return
      }
      rec.answered = reply.status
      res.writeHead(reply.status, { 'Content-Type': 'application/json', ...reply.headers })
      res.end(reply.body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  const r: HttpReceiver = {
    url: `http://127.0.0.1:${port}`,
    requests,
    script(reply, times = 1) {
      for (let i = 0; i < times; i++) queue.push(reply)
    },
    failNext(times, status = 503) {
      r.script({ status, body: '{"error":"service unavailable"}' }, times)
    },
    tooManyRequests(times, retryAfterSec, body = '{"error":"too many requests"}') {
      r.script({ status: 429, body, headers: { 'Retry-After': String(retryAfterSec) } }, times)
    },
    answerJson(json, times = 1, status = 200) {
      r.script({ status, body: JSON.stringify(json) }, times)
    },
    hangNext(times) {
      r.script({ status: 0, body: '', hang: true }, times)
    },
    async waitFor(count, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs
      while (requests.length < count) {
        const left = deadline - Date.now()
        if (left <= 0) throw new Error(`receiver got ${requests.length} requests, expected ${count}`)
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left)
          waiters.push(() => (clearTimeout(t), resolve()))
        })
      }
    },
    async close() {
      for (const res of held) res.destroy()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
  return r
}
