import { describe, expect, it } from 'vitest'
import { checksumOk, decodeReply, decodeRequest, encodeReply, encodeRequest, hex } from '../../devices/locker/lockBoard/frame.ts'
import type { Reply, Request } from '../../devices/locker/lockBoard/frame.ts'
import { FrameParser } from '../../devices/locker/lockBoard/frameParser.ts'

describe('lock-board frames', () => {
  it('encodes the documented query-all frame for board 1', () => {
    expect(hex(encodeRequest({ type: 'query_all', board: 1 }))).toBe('80 01 00 33 B2')
  })

  it('encodes unlock and single-door query frames with an XOR checksum', () => {
    expect(hex(encodeRequest({ type: 'unlock', board: 1, lock: 1 }))).toBe('8A 01 01 11 9B')
    expect(hex(encodeRequest({ type: 'query_door', board: 2, lock: 5 }))).toBe('80 02 05 33 B4')
  })

  it('round-trips every request type', () => {
    const reqs: Request[] = [
      { type: 'unlock', board: 3, lock: 24 },
      { type: 'query_door', board: 0, lock: 1 },
      { type: 'query_all', board: 15 },
    ]
    for (const r of reqs) expect(decodeRequest(encodeRequest(r))).toEqual(r)
  })

  it('round-trips every reply type, including a 24-door bitmask', () => {
    const open = Array.from({ length: 24 }, (_, i) => i % 5 === 0 || i === 23)
    const replies: Reply[] = [
      { type: 'unlock', board: 1, lock: 2, unlocked: true },
      { type: 'unlock', board: 1, lock: 2, unlocked: false },
      { type: 'door', board: 1, lock: 9, open: true },
      { type: 'door', board: 1, lock: 9, open: false },
      { type: 'doors', board: 2, open },
    ]
    for (const r of replies) {
      const f = encodeReply(r)
      expect(checksumOk(f)).toBe(true)
      expect(decodeReply(f)).toEqual(r)
    }
  })

  it('reports a closed door as 0x11 and an open one as 0x00', () => {
    expect(hex(encodeReply({ type: 'door', board: 1, lock: 1, open: false }))).toBe('80 01 01 11 91')
    expect(hex(encodeReply({ type: 'door', board: 1, lock: 1, open: true }))).toBe('80 01 01 00 80')
  })

  it('puts door 1 in bit 0 of the first mask byte and door 24 in bit 7 of the third', () => {
    const open = Array.from({ length: 24 }, (_, i) => i === 0 || i === 23)
    expect(hex(encodeReply({ type: 'doors', board: 1, open }))).toBe('80 01 01 00 80 33 33')
  })

  it('refuses a lock number that does not fit a byte', () => {
    expect(() => encodeRequest({ type: 'unlock', board: 1, lock: 0 })).toThrow(/lock must be an integer 1..255/)
    expect(() => encodeRequest({ type: 'unlock', board: 256, lock: 1 })).toThrow(/board/)
  })
})

describe('frame parser', () => {
  const unlockReply = encodeReply({ type: 'unlock', board: 1, lock: 4, unlocked: true })
  const status = encodeReply({ type: 'doors', board: 1, open: Array.from({ length: 24 }, (_, i) => i === 3) })

  it('assembles a frame that arrives one byte at a time', () => {
    const p = new FrameParser('replies')
    const frames = [...unlockReply].flatMap((b) => p.push(Buffer.from([b])))
    expect(frames).toEqual([{ ok: true, frame: unlockReply }])
  })

  it('finds frames again after line noise', () => {
    const p = new FrameParser('replies')
    p.expect(7)
    const events = p.push(Buffer.concat([Buffer.from([0x00, 0xff, 0x13, 0x37]), status]))
    expect(events).toEqual([{ ok: true, frame: status }])
    expect(p.stats.discardedBytes).toBe(4)
  })

  it('recovers when noise contains a header byte', () => {
    const p = new FrameParser('replies')
    p.expect(5)
    const events = p.push(Buffer.concat([Buffer.from([0x80, 0x42]), unlockReply]))
    expect(events.filter((e) => e.ok)).toEqual([{ ok: true, frame: unlockReply }])
    expect(p.stats.checksumErrors).toBeGreaterThan(0)
  })

  it('rejects a frame with a bad checksum and counts it', () => {
    const p = new FrameParser('replies')
    const bad = Buffer.from(unlockReply)
    bad[4] = (bad[4] as number) ^ 0x01
    const events = p.push(bad)
    expect(events).toEqual([{ ok: false, error: 'checksum', bytes: bad }])
    expect(p.stats.checksumErrors).toBe(1)
    expect(p.push(unlockReply)).toEqual([{ ok: true, frame: unlockReply }])
  })

  it('tells a 7-byte status reply from a 5-byte reply without a hint', () => {
    const p = new FrameParser('replies')
    expect(p.push(Buffer.concat([status, unlockReply])).map((e) => e.ok && e.frame.length)).toEqual([7, 5])
  })

  it('drops a half frame on reset so it cannot merge with the next reply', () => {
    const p = new FrameParser('replies')
    p.push(unlockReply.subarray(0, 3))
    p.reset()
    expect(p.push(unlockReply)).toEqual([{ ok: true, frame: unlockReply }])
  })

  it('parses back-to-back requests on the board side', () => {
    const p = new FrameParser('requests')
    const a = encodeRequest({ type: 'query_all', board: 1 })
    const b = encodeRequest({ type: 'unlock', board: 2, lock: 7 })
    expect(p.push(Buffer.concat([a, b]))).toEqual([{ ok: true, frame: a }, { ok: true, frame: b }])
  })
})
