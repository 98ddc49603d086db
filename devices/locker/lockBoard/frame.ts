/**
 * The RS485 frame protocol of a common family of locker control boards (9600 8N1); see
 * docs/lockers.md. Every frame ends in an XOR of all bytes before it:
 *
 *   unlock      8A bb ll 11 xx     reply 8A bb ll ss xx      (ss: 11 unlocked, 00 still locked)
 *   query door  80 bb ll 33 xx     reply 80 bb ll ss xx      (ss: 00 door open, 11 door closed)
 *   query all   80 bb 00 33 xx     reply 80 bb m1 m2 m3 33 xx (bitmask, bit set = door open)
 *
 * bb is the board address (set by DIP switch), ll the lock number from 1. Pure: bytes in, values out.
 */
export const HEADER_UNLOCK = 0x8a
export const HEADER_QUERY = 0x80
export const FN_UNLOCK = 0x11
export const FN_QUERY = 0x33
/** Single-door status byte: domain facts §3 ("0x00 = open, 0x11 = closed"). */
export const DOOR_OPEN = 0x00
export const DOOR_CLOSED = 0x11
/** Unlock reply status. The source does not say; we read 0x11 as "lock released" (see docs). */
export const UNLOCK_OK = 0x11
export const UNLOCK_REFUSED = 0x00
/** Doors per query-all reply: three bitmask bytes. */
export const DOORS_PER_BOARD = 24

export const REQUEST_LENGTH = 5
export const STATUS_REPLY_LENGTH = 7

export type Request =
  | { type: 'unlock'; board: number; lock: number }
  | { type: 'query_door'; board: number; lock: number }
  | { type: 'query_all'; board: number }

export type Reply =
  | { type: 'unlock'; board: number; lock: number; unlocked: boolean }
  | { type: 'door'; board: number; lock: number; open: boolean }
  /** `open[i]` is door i + 1. */
  | { type: 'doors'; board: number; open: boolean[] }

export function xor(bytes: Uint8Array, end = bytes.length): number {
  let x = 0
  for (let i = 0; i < end; i++) x ^= bytes[i] as number
  return x
}

/** True when the last byte is the XOR of all bytes before it. */
export function checksumOk(frame: Uint8Array): boolean {
  return frame.length >= 2 && xor(frame, frame.length - 1) === frame[frame.length - 1]
}

function withChecksum(bytes: number[]): Buffer {
  const b = Buffer.from([...bytes, 0])
  b[b.length - 1] = xor(b, b.length - 1)
  return b
}

function byteArg(name: string, v: number, min: number): number {
  if (!Number.isInteger(v) || v < min || v > 0xff) throw new RangeError(`${name} must be an integer ${min}..255 (got ${v})`)
  return v
}

export function encodeRequest(r: Request): Buffer {
  const board = byteArg('board', r.board, 0)
  switch (r.type) {
    case 'unlock':
      return withChecksum([HEADER_UNLOCK, board, byteArg('lock', r.lock, 1), FN_UNLOCK])
    case 'query_door':
      return withChecksum([HEADER_QUERY, board, byteArg('lock', r.lock, 1), FN_QUERY])
    case 'query_all':
      return withChecksum([HEADER_QUERY, board, 0x00, FN_QUERY])
  }
}

/** A 5-byte request frame (checksum already checked), or undefined when it is not one we know. */
export function decodeRequest(f: Uint8Array): Request | undefined {
  if (f.length !== REQUEST_LENGTH) return undefined
  const [h, board, lock, fn] = f as unknown as [number, number, number, number]
  if (h === HEADER_UNLOCK && fn === FN_UNLOCK && lock > 0) return { type: 'unlock', board, lock }
  if (h === HEADER_QUERY && fn === FN_QUERY) return lock === 0 ? { type: 'query_all', board } : { type: 'query_door', board, lock }
  return undefined
}

export function encodeReply(r: Reply): Buffer {
  const board = byteArg('board', r.board, 0)
  switch (r.type) {
    case 'unlock':
      return withChecksum([HEADER_UNLOCK, board, byteArg('lock', r.lock, 1), r.unlocked ? UNLOCK_OK : UNLOCK_REFUSED])
    case 'door':
      return withChecksum([HEADER_QUERY, board, byteArg('lock', r.lock, 1), r.open ? DOOR_OPEN : DOOR_CLOSED])
    case 'doors': {
      const mask = [0, 0, 0]
      r.open.slice(0, DOORS_PER_BOARD).forEach((open, i) => {
        if (open) mask[i >> 3] = (mask[i >> 3] as number) | (1 << (i & 7))
      })
      return withChecksum([HEADER_QUERY, board, ...mask, FN_QUERY])
    }
  }
}

/** A reply frame (checksum already checked), or undefined when it is not one we know. */
export function decodeReply(f: Uint8Array): Reply | undefined {
  const h = f[0]
  const board = f[1] as number
  if (f.length === REQUEST_LENGTH) {
    const lock = f[2] as number
    const s = f[3] as number
    if (h === HEADER_UNLOCK) return { type: 'unlock', board, lock, unlocked: s === UNLOCK_OK }
    if (h === HEADER_QUERY && lock > 0 && (s === DOOR_OPEN || s === DOOR_CLOSED)) return { type: 'door', board, lock, open: s === DOOR_OPEN }
    return undefined
  }
  if (f.length === STATUS_REPLY_LENGTH && h === HEADER_QUERY && f[5] === FN_QUERY) {
    const open: boolean[] = []
    // m1 holds doors 1–8 (bit 0 = door 1), m2 doors 9–16, m3 doors 17–24.
    for (let i = 0; i < DOORS_PER_BOARD; i++) open.push((((f[2 + (i >> 3)] as number) >> (i & 7)) & 1) === 1)
    return { type: 'doors', board, open }
  }
  return undefined
}

/** Bytes as "8A 01 02 11 98", for logs and error messages. */
export function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ')
}
