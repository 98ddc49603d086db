/**
 * Line protocol of HX711-class multi-channel boards on a serial port (see docs/shelf.md):
 *
 *   <channel>,<raw>\n        e.g. "3,-123456\r\n" — channel 0–255, raw a signed 32-bit integer
 *
 * at 10 or 80 lines per second per channel. Serial links drop and garble bytes and boards print boot
 * banners, so the parser never throws: bad lines are counted and skipped, and a line that never ends
 * is cut off so a board streaming noise cannot grow memory. Pure: bytes in, records out.
 */
export interface SerialRecord {
  channel: number
  raw: number
}

export interface SerialParserStats {
  records: number
  /** Complete lines that were not `channel,raw` (banners, garbled bytes, out-of-range numbers). */
  garbage: number
  /** Lines longer than the limit, discarded up to the next line end. */
  overlong: number
}

export interface SerialParserOptions {
  /** The longest valid line is "255,-2147483648" (15 chars); some slack for spaces. */
  maxLineLength?: number
}

const LINE = /^\s*(\d{1,3})\s*,\s*([+-]?\d{1,10})\s*$/
const LF = 0x0a
const CR = 0x0d

export class SerialLineParser {
  readonly #max: number
  #line = ''
  #skipping = false
  readonly stats: SerialParserStats = { records: 0, garbage: 0, overlong: 0 }

  constructor(opts: SerialParserOptions = {}) {
    this.#max = opts.maxLineLength ?? 32
  }

  /** Feed a chunk as it came off the port; returns the records completed by it. */
  push(chunk: Uint8Array | string): SerialRecord[] {
    const out: SerialRecord[] = []
    const n = chunk.length
    for (let i = 0; i < n; i++) {
      const c = typeof chunk === 'string' ? chunk.charCodeAt(i) : (chunk[i] as number)
      // CR, LF and CRLF all end a line; the empty line between CR and LF is simply ignored.
      if (c === LF || c === CR) {
        this.#endLine(out)
        continue
      }
      if (this.#skipping) continue
      if (this.#line.length >= this.#max) {
        this.stats.overlong++
        this.#skipping = true
        this.#line = ''
        continue
      }
      // Bytes are ASCII; anything else (line noise, a wrong baud rate) poisons the line, not the parser.
      this.#line += c < 0x80 ? String.fromCharCode(c) : '\u0000'
    }
    return out
  }

  /** Text waiting for its line end (for diagnostics). */
  get pending(): string {
    return this.#line
  }

  #endLine(out: SerialRecord[]): void {
    const line = this.#line
    this.#line = ''
    if (this.#skipping) {
      this.#skipping = false
      return
    }
    if (line.trim() === '') return
    const rec = parseLine(line)
    if (rec) {
      this.stats.records++
      out.push(rec)
    } else {
      this.stats.garbage++
    }
  }
}

/** One line without its terminator; undefined when it is not a valid record. */
export function parseLine(line: string): SerialRecord | undefined {
  const m = LINE.exec(line)
  if (!m) return undefined
  const channel = Number(m[1])
  const raw = Number(m[2])
  if (channel > 255 || raw < -(2 ** 31) || raw > 2 ** 31 - 1) return undefined
  return { channel, raw }
}
