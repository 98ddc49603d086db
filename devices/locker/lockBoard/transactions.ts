/**
 * Request/reply transactions on one RS485 bus. The bus is half duplex and the boards answer only
 * when asked, so exactly one frame is in flight at a time; everything else waits in a FIFO queue.
 * A request that gets no valid reply within the timeout, or a reply with a bad checksum, is sent
 * again (up to `retries` times) after a short quiet gap, then fails with a BusError.
 */
import type { FrameParser, ParseEvent } from './frameParser.ts'
import type { Reply, Request } from './frame.ts'
import { decodeReply, encodeRequest, hex } from './frame.ts'

export type BusErrorReason = 'timeout' | 'checksum' | 'offline' | 'stopped'

/** A failed bus request; `reason` says what to do about it (retry later, check wiring ...). */
export class BusError extends Error {
  readonly reason: BusErrorReason
  constructor(reason: BusErrorReason, message: string) {
    super(message)
    this.name = 'BusError'
    this.reason = reason
  }
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
}

export interface TransactionOptions {
  send(frame: Buffer): void
  parser: FrameParser
  timeoutMs?: number
  retries?: number
  /** Quiet time before a retry, so the tail of a garbled reply drains first. */
  retryGapMs?: number
  timers?: Timers
}

export interface TransactionStats {
  sent: number
  retries: number
  timeouts: number
  checksumErrors: number
  /** Valid frames that answered nothing we were waiting for. */
  stray: number
  failed: number
}

interface Pending {
  request: Request
  accept(reply: Reply): boolean
  resolve(reply: Reply): void
  reject(err: BusError): void
  attempt: number
  lastFailure?: 'timeout' | 'checksum'
}

export class TransactionQueue {
  readonly #o: Required<Omit<TransactionOptions, 'timers'>> & { timers: Timers }
  readonly #queue: Pending[] = []
  #current: Pending | undefined
  /** True while the current request waits for its reply (not during a retry gap). */
  #listening = false
  #timer: unknown
  #online = false
  readonly stats: TransactionStats = { sent: 0, retries: 0, timeouts: 0, checksumErrors: 0, stray: 0, failed: 0 }

  constructor(opts: TransactionOptions) {
    this.#o = { timeoutMs: 300, retries: 2, retryGapMs: 20, timers: realTimers, ...opts }
  }

  /** Sends `request` when the bus is free; resolves with the first valid reply that `accept` takes. */
  request(request: Request, accept: (reply: Reply) => boolean): Promise<Reply> {
    if (!this.#online) return Promise.reject(new BusError('offline', `bus offline: cannot send ${request.type} to board ${request.board}`))
    return new Promise<Reply>((resolve, reject) => {
      this.#queue.push({ request, accept, resolve, reject, attempt: 0 })
      this.#pump()
    })
  }

  get pending(): number {
    return this.#queue.length + (this.#current ? 1 : 0)
  }

  setOnline(online: boolean): void {
    this.#online = online
    if (online) this.#pump()
    else this.failAll('offline', 'bus went offline')
  }

  /** Rejects the request in flight and everything queued (port lost, driver stopping). */
  failAll(reason: BusErrorReason, message: string): void {
    this.#o.timers.clearTimeout(this.#timer)
    this.#listening = false
    const all = [...(this.#current ? [this.#current] : []), ...this.#queue.splice(0)]
    this.#current = undefined
    for (const p of all) p.reject(new BusError(reason, `${message}: ${p.request.type} to board ${p.request.board} not completed`))
  }

  /** Feed every parser event here. */
  onParse(ev: ParseEvent): void {
    const p = this.#current
    if (!ev.ok) {
      this.stats.checksumErrors++
      if (p && this.#listening) this.#failAttempt(p, 'checksum')
      return
    }
    const reply = decodeReply(ev.frame)
    if (!p || !this.#listening || !reply || !p.accept(reply)) {
      this.stats.stray++
      return
    }
    this.#o.timers.clearTimeout(this.#timer)
    this.#listening = false
    this.#current = undefined
    p.resolve(reply)
    this.#pump()
  }

  #pump(): void {
    if (this.#current || !this.#online) return
    const next = this.#queue.shift()
    if (!next) return
    this.#current = next
    this.#send(next)
  }

  #send(p: Pending): void {
    const expectsStatus = p.request.type === 'query_all'
    this.#o.parser.reset()
    this.#o.parser.expect(expectsStatus ? 7 : 5)
    p.attempt++
    this.stats.sent++
    this.#listening = true
    this.#timer = this.#o.timers.setTimeout(() => this.#failAttempt(p, 'timeout'), this.#o.timeoutMs)
    this.#o.send(encodeRequest(p.request))
  }

  #failAttempt(p: Pending, why: 'timeout' | 'checksum'): void {
    if (this.#current !== p) return
    this.#o.timers.clearTimeout(this.#timer)
    this.#listening = false
    p.lastFailure = why
    if (why === 'timeout') this.stats.timeouts++
    if (p.attempt <= this.#o.retries) {
      this.stats.retries++
      this.#timer = this.#o.timers.setTimeout(() => {
        if (this.#current === p) this.#send(p)
      }, this.#o.retryGapMs)
      return
    }
    this.stats.failed++
    this.#current = undefined
    const frame = hex(encodeRequest(p.request))
    const what = why === 'timeout' ? `no reply within ${this.#o.timeoutMs} ms` : 'replies had bad checksums'
    p.reject(new BusError(why, `board ${p.request.board}: ${what} after ${p.attempt} attempts (request ${frame})`))
    this.#pump()
  }
}
