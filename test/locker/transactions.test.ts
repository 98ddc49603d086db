import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { FrameParser } from '../../devices/locker/lockBoard/frameParser.ts'
import { decodeRequest, encodeReply } from '../../devices/locker/lockBoard/frame.ts'
import type { Reply } from '../../devices/locker/lockBoard/frame.ts'
import { BusError, TransactionQueue } from '../../devices/locker/lockBoard/transactions.ts'

function setup() {
  const parser = new FrameParser('replies')
  const sent: Buffer[] = []
  const q = new TransactionQueue({ parser, send: (f) => sent.push(f), timeoutMs: 300, retries: 2, retryGapMs: 20 })
  q.setOnline(true)
  const answer = (r: Reply) => {
    for (const ev of parser.push(encodeReply(r))) q.onParse(ev)
  }
  const isUnlock = (board: number, lock: number) => (r: Reply) => r.type === 'unlock' && r.board === board && r.lock === lock
  return { parser, sent, q, answer, isUnlock }
}

describe('bus transactions', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('keeps one frame in flight and sends the next only after the reply', async () => {
    const { sent, q, answer, isUnlock } = setup()
    const a = q.request({ type: 'unlock', board: 1, lock: 1 }, isUnlock(1, 1))
    const b = q.request({ type: 'unlock', board: 1, lock: 2 }, isUnlock(1, 2))
    expect(sent.length).toBe(1)
    answer({ type: 'unlock', board: 1, lock: 1, unlocked: true })
    await expect(a).resolves.toMatchObject({ lock: 1 })
    expect(sent.length).toBe(2)
    expect(decodeRequest(sent[1] as Buffer)).toEqual({ type: 'unlock', board: 1, lock: 2 })
    answer({ type: 'unlock', board: 1, lock: 2, unlocked: true })
    await expect(b).resolves.toMatchObject({ lock: 2 })
  })

  it('sends again when a board does not answer in time, and succeeds on the retry', async () => {
    const { sent, q, answer, isUnlock } = setup()
    const a = q.request({ type: 'unlock', board: 1, lock: 1 }, isUnlock(1, 1))
    await vi.advanceTimersByTimeAsync(320)
    expect(sent.length).toBe(2)
    answer({ type: 'unlock', board: 1, lock: 1, unlocked: true })
    await expect(a).resolves.toMatchObject({ unlocked: true })
    expect(q.stats).toMatchObject({ timeouts: 1, retries: 1 })
  })

  it('gives up with a timeout error after the configured retries', async () => {
    const { sent, q, isUnlock } = setup()
    const a = q.request({ type: 'unlock', board: 4, lock: 1 }, isUnlock(4, 1))
    const caught = a.catch((e: unknown) => e)
    await vi.advanceTimersByTimeAsync(3 * 300 + 2 * 20)
    const err = await caught
    expect(err).toBeInstanceOf(BusError)
    expect((err as BusError).reason).toBe('timeout')
    expect((err as BusError).message).toMatch(/board 4: no reply within 300 ms after 3 attempts/)
    expect(sent.length).toBe(3)
  })

  it('retries straight away on a reply with a bad checksum instead of waiting for the timeout', async () => {
    const { parser, sent, q, answer, isUnlock } = setup()
    const a = q.request({ type: 'unlock', board: 1, lock: 1 }, isUnlock(1, 1))
    const bad = encodeReply({ type: 'unlock', board: 1, lock: 1, unlocked: true })
    bad[4] = (bad[4] as number) ^ 0xff
    for (const ev of parser.push(bad)) q.onParse(ev)
    await vi.advanceTimersByTimeAsync(20)
    expect(sent.length).toBe(2)
    answer({ type: 'unlock', board: 1, lock: 1, unlocked: true })
    await expect(a).resolves.toBeTruthy()
    expect(q.stats.checksumErrors).toBe(1)
    expect(q.stats.timeouts).toBe(0)
  })

  it('ignores a reply from the wrong board and counts it as stray', async () => {
    const { q, answer, isUnlock } = setup()
    const a = q.request({ type: 'unlock', board: 1, lock: 1 }, isUnlock(1, 1))
    answer({ type: 'unlock', board: 2, lock: 1, unlocked: true })
    answer({ type: 'unlock', board: 1, lock: 1, unlocked: true })
    await expect(a).resolves.toMatchObject({ board: 1 })
    expect(q.stats.stray).toBe(1)
  })

  it('fails everything pending at once when the bus goes offline, and refuses new requests', async () => {
    const { q, isUnlock } = setup()
    const a = q.request({ type: 'unlock', board: 1, lock: 1 }, isUnlock(1, 1)).catch((e: BusError) => e.reason)
    const b = q.request({ type: 'unlock', board: 1, lock: 2 }, isUnlock(1, 2)).catch((e: BusError) => e.reason)
    q.setOnline(false)
    expect(await a).toBe('offline')
    expect(await b).toBe('offline')
    await expect(q.request({ type: 'query_all', board: 1 }, () => true)).rejects.toMatchObject({ reason: 'offline' })
  })
})
