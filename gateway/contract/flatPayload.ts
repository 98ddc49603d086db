/**
 * Reads the payloads that are nearly all of the traffic, `{"g":1523.4,"seq":17}` and
 * `{"c":3.6,"probe":"air"}`, straight from the packet's bytes: no string copy of the payload, no
 * JSON.parse, no object per reading. It answers only when it is sure to agree with JSON.parse:
 * anything else (other keys, escapes, exponents, long numbers, duplicate keys, bad JSON) returns
 * false and the caller parses the payload as usual, which also names what is wrong.
 * test/foundation/flatPayload.test.ts checks it against JSON.parse.
 */

/** The fields decodeCommon reads; undefined when the payload does not have them. */
export interface FlatFields {
  g: number | undefined
  raw: number | undefined
  c: number | undefined
  seq: number | undefined
  ts: number | undefined
  probe: string | undefined
}

// Byte codes.
const QUOTE = 0x22
const COMMA = 0x2c
const COLON = 0x3a
const OPEN = 0x7b
const CLOSE = 0x7d
const MINUS = 0x2d
const DOT = 0x2e
const ZERO = 0x30
const NINE = 0x39

const KEY_G = 1
const KEY_RAW = 2
const KEY_C = 3
const KEY_SEQ = 4
const KEY_TS = 5
const KEY_PROBE = 6

const PROBE_NAMES = ['air', 'product', 'evaporator'] as const

/** 10^0 … 10^15, all exact doubles. */
const POW10 = Array.from({ length: 16 }, (_, i) => 10 ** i)

/** At most 15 digits: the mantissa stays below 2^53, so one division by an exact power of ten is correctly rounded (as JSON.parse's result is). */
const MAX_DIGITS = 15

// The scanner's cursor and last number, module-wide rather than an object per call: scanning is
// synchronous and never re-entered, and this runs for every reading.
let at = 0
let value = 0

const isSpace = (c: number | undefined): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09

function skipSpace(b: Uint8Array): void {
  while (isSpace(b[at])) at++
}

/** A key of the fields above, by its bytes; 0 for any other key (or one with escapes). */
function readKey(b: Uint8Array): number {
  if (b[at] !== QUOTE) return 0
  const start = at + 1
  let end = start
  while (end < b.length && b[end] !== QUOTE) {
    if (b[end] === 0x5c || (b[end] as number) < 0x20) return 0
    end++
  }
  if (end >= b.length) return 0
  at = end + 1
  const n = end - start
  const c0 = b[start]
  if (n === 1) return c0 === 0x67 ? KEY_G : c0 === 0x63 ? KEY_C : 0 // g, c
  if (n === 2) return c0 === 0x74 && b[start + 1] === 0x73 ? KEY_TS : 0 // ts
  if (n === 3) {
    if (c0 === 0x72 && b[start + 1] === 0x61 && b[start + 2] === 0x77) return KEY_RAW // raw
    if (c0 === 0x73 && b[start + 1] === 0x65 && b[start + 2] === 0x71) return KEY_SEQ // seq
    return 0
  }
  if (n === 5 && c0 === 0x70 && b[start + 1] === 0x72 && b[start + 2] === 0x6f && b[start + 3] === 0x62 && b[start + 4] === 0x65) return KEY_PROBE // probe
  return 0
}

/** A JSON number without exponent and of at most 15 digits into `value`; false otherwise. */
function readNumber(b: Uint8Array): boolean {
  let negative = false
  if (b[at] === MINUS) {
    negative = true
    at++
  }
  let c = b[at] as number
  if (!(c >= ZERO && c <= NINE)) return false
  let mantissa = 0
  let digits = 0
  if (c === ZERO) {
    c = b[++at] as number
  } else {
    while (c >= ZERO && c <= NINE) {
      mantissa = mantissa * 10 + (c - ZERO)
      digits++
      c = b[++at] as number
    }
  }
  let decimals = 0
  if (c === DOT) {
    c = b[++at] as number
    if (!(c >= ZERO && c <= NINE)) return false
    while (c >= ZERO && c <= NINE) {
      mantissa = mantissa * 10 + (c - ZERO)
      digits++
      decimals++
      c = b[++at] as number
    }
  }
  // An exponent, or more digits than a double holds exactly: leave it to JSON.parse.
  if (c === 0x65 || c === 0x45 || digits > MAX_DIGITS) return false
  const magnitude = decimals === 0 ? mantissa : mantissa / (POW10[decimals] as number)
  value = negative ? -magnitude : magnitude
  return true
}

/** One of the probe names, as the same interned string every time. */
function readProbe(b: Uint8Array): string | undefined {
  if (b[at] !== QUOTE) return undefined
  for (const name of PROBE_NAMES) {
    const end = at + 1 + name.length
    if (b[end] !== QUOTE) continue
    let same = true
    for (let i = 0; i < name.length; i++) {
      if (b[at + 1 + i] !== name.charCodeAt(i)) {
        same = false
        break
      }
    }
    if (same) {
      at = end + 1
      return name
    }
  }
  return undefined
}

/**
 * Fills `out` from a flat payload and returns true, or returns false when the payload needs
 * JSON.parse (out is then meaningless).
 */
export function scanFlatPayload(b: Uint8Array, out: FlatFields): boolean {
  out.g = out.raw = out.c = out.seq = out.ts = undefined
  out.probe = undefined
  at = 0
  skipSpace(b)
  if (b[at] !== OPEN) return false
  at++
  skipSpace(b)
  if (b[at] === CLOSE) {
    at++
    skipSpace(b)
    return at === b.length
  }
  let seen = 0
  for (;;) {
    const key = readKey(b)
    if (key === 0) return false
    // A repeated key: JSON.parse keeps the last one; rather than copy that rule, leave it to JSON.parse.
    if (seen & (1 << key)) return false
    seen |= 1 << key
    skipSpace(b)
    if (b[at] !== COLON) return false
    at++
    skipSpace(b)
    if (key === KEY_PROBE) {
      const probe = readProbe(b)
      if (probe === undefined) return false
      out.probe = probe
    } else {
      if (!readNumber(b)) return false
      if (key === KEY_G) out.g = value
      else if (key === KEY_RAW) out.raw = value
      else if (key === KEY_C) out.c = value
      else if (key === KEY_SEQ) out.seq = value
      else out.ts = value
    }
    skipSpace(b)
    const c = b[at]
    at++
    if (c === COMMA) {
      skipSpace(b)
      continue
    }
    if (c !== CLOSE) return false
    skipSpace(b)
    return at === b.length
  }
}
