/**
 * Cuts a serial byte stream into lock-board frames. RS485 lines pick up noise (a board powering up,
 * a half-duplex turnaround glitch), so the parser skips bytes until a header, checks the XOR of each
 * candidate frame, and on a bad checksum drops one byte and searches again: it finds the next good
 * frame instead of staying out of step. Pure: no I/O, no timers.
 *
 * Requests are always 5 bytes. Replies are 5 bytes, or 7 for a query-all status; the two cannot be
 * told apart by their first bytes, so the driver, which knows what it asked for, says which length it
 * expects. Without that hint the parser prefers a 7-byte status frame when one checks out.
 */
import { HEADER_QUERY, HEADER_UNLOCK, FN_QUERY, REQUEST_LENGTH, STATUS_REPLY_LENGTH, checksumOk } from './frame.ts'

export type ParseEvent = { ok: true; frame: Buffer } | { ok: false; error: 'checksum'; bytes: Buffer }

export interface ParserStats {
  frames: number
  /** Candidate frames refused for a bad checksum. */
  checksumErrors: number
  /** Bytes thrown away while searching for a header. */
  discardedBytes: number
}

function isHeader(b: number | undefined): boolean {
  return b === HEADER_QUERY || b === HEADER_UNLOCK
}

export class FrameParser {
  readonly #side: 'requests' | 'replies'
  #buf: Buffer = Buffer.alloc(0)
  #expected: 5 | 7 | undefined
  readonly stats: ParserStats = { frames: 0, checksumErrors: 0, discardedBytes: 0 }

  constructor(side: 'requests' | 'replies') {
    this.#side = side
  }

  /** The reply length the next frame should have (the driver sets it per request). */
  expect(length: 5 | 7 | undefined): void {
    this.#expected = length
  }

  /** Drops a partial frame, e.g. after a timeout, so a late half-frame cannot poison the next reply. */
  reset(): void {
    this.stats.discardedBytes += this.#buf.length
    this.#buf = Buffer.alloc(0)
  }

  push(chunk: Uint8Array): ParseEvent[] {
    this.#buf = this.#buf.length ? Buffer.concat([this.#buf, chunk]) : Buffer.from(chunk)
    const out: ParseEvent[] = []
    for (;;) {
      let start = 0
      while (start < this.#buf.length && !isHeader(this.#buf[start])) start++
      if (start > 0) {
        this.stats.discardedBytes += start
        this.#buf = this.#buf.subarray(start)
      }
      const len = this.#lengthOfNext()
      if (len === undefined || this.#buf.length < len) break
      const candidate = this.#buf.subarray(0, len)
      if (checksumOk(candidate)) {
        this.stats.frames++
        out.push({ ok: true, frame: Buffer.from(candidate) })
        this.#buf = this.#buf.subarray(len)
      } else {
        this.stats.checksumErrors++
        this.stats.discardedBytes++
        out.push({ ok: false, error: 'checksum', bytes: Buffer.from(candidate) })
        this.#buf = this.#buf.subarray(1)
      }
    }
    return out
  }

  /** Length of the frame starting at the buffer's head, or undefined when more bytes must come first. */
  #lengthOfNext(): number | undefined {
    const b = this.#buf
    if (b.length === 0) return undefined
    if (this.#side === 'requests' || b[0] === HEADER_UNLOCK) return REQUEST_LENGTH
    if (this.#expected !== undefined) return this.#expected
    if (b.length >= STATUS_REPLY_LENGTH && b[5] === FN_QUERY && checksumOk(b.subarray(0, STATUS_REPLY_LENGTH))) {
      return STATUS_REPLY_LENGTH
    }
    if (b.length >= REQUEST_LENGTH && checksumOk(b.subarray(0, REQUEST_LENGTH))) return REQUEST_LENGTH
    // Neither checks out yet: wait for a possible 7-byte frame, then call it a bad 5-byte one.
    return b.length < STATUS_REPLY_LENGTH ? undefined : REQUEST_LENGTH
  }
}
