import { describe, expect, it } from 'vitest'
import { ManualClock } from '../../gateway/core/clock.ts'
import { CodeAttempts } from '../../devices/locker/codeAttempts.ts'
import { PickupCodes } from '../../devices/locker/pickupCodes.ts'

const SECRET = 'test-secret-at-least-16-bytes'
const MIN = 60_000

function setup(opts: { randomInt?: (max: number) => number; ttlMs?: number } = {}) {
  const clock = new ManualClock()
  const codes = new PickupCodes({ secret: SECRET, clock, ...opts })
  return { clock, codes }
}

/** A code that is certainly not `code`. */
function other(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, '0')
}

describe('pickup codes', () => {
  it('issues a 6-digit code and stores only a salted hash of it', () => {
    const { codes } = setup()
    const { code, record } = codes.issue({ id: 'O1', locker: 'K1', slot: 3 })
    expect(code).toMatch(/^\d{6}$/)
    expect(JSON.stringify(codes.records())).not.toContain(code)
    expect(record.hash).toMatch(/^[0-9a-f]{64}$/)
    expect(record.salt).toMatch(/^[0-9a-f]{32}$/)
  })

  it('hashes the same code differently for two orders', () => {
    const { codes } = setup({ randomInt: () => 123456 })
    const a = codes.issue({ id: 'O1', locker: 'K1' })
    const b = codes.issue({ id: 'O2', locker: 'K2' })
    expect(a.code).toBe(b.code)
    expect(a.record.hash).not.toBe(b.record.hash)
  })

  it('opens with the right code at the keypad and names the order and slot', () => {
    const { codes } = setup()
    const { code } = codes.issue({ id: 'O1', locker: 'K1', slot: 3 })
    expect(codes.verifyAtKeypad('K1', code)).toMatchObject({ ok: true, orderId: 'O1', slot: 3 })
  })

  it('refuses the right code on another locker', () => {
    const { codes } = setup()
    const { code } = codes.issue({ id: 'O1', locker: 'K1', slot: 3 })
    expect(codes.verifyAtKeypad('K2', code)).toMatchObject({ ok: false, reason: 'wrong_code' })
  })

  it('refuses a code the second time it is used', () => {
    const { codes } = setup()
    const { code } = codes.issue({ id: 'O1', locker: 'K1', slot: 3 })
    expect(codes.verifyAtKeypad('K1', code).ok).toBe(true)
    expect(codes.verifyAtKeypad('K1', code)).toMatchObject({ ok: false, reason: 'used' })
  })

  it('refuses a code after it expires', () => {
    const { codes, clock } = setup({ ttlMs: 60 * MIN })
    const { code } = codes.issue({ id: 'O1', locker: 'K1', slot: 3 })
    clock.advance(60 * MIN - 1)
    const before = codes.issue({ id: 'O2', locker: 'K1', slot: 4 })
    expect(codes.verifyAtKeypad('K1', before.code).ok).toBe(true)
    clock.advance(1)
    expect(codes.verifyAtKeypad('K1', code)).toMatchObject({ ok: false, reason: 'expired' })
  })

  it('gives every live order at one locker a different code even when the random source repeats', () => {
    const draws = [111111, 111111, 222222]
    const { codes } = setup({ randomInt: () => draws.shift() ?? 333333 })
    const a = codes.issue({ id: 'O1', locker: 'K1', slot: 1 })
    const b = codes.issue({ id: 'O2', locker: 'K1', slot: 2 })
    expect(a.code).toBe('111111')
    expect(b.code).toBe('222222')
  })

  it('issuing a new code for an order withdraws the old one', () => {
    const { codes } = setup()
    const first = codes.issue({ id: 'O1', locker: 'K1', slot: 3 })
    const second = codes.issue({ id: 'O1', locker: 'K1', slot: 3 })
    if (first.code !== second.code) expect(codes.verifyAtKeypad('K1', first.code).ok).toBe(false)
    expect(codes.verifyAtKeypad('K1', second.code).ok).toBe(true)
  })

  it('locks an order for 15 minutes after 5 wrong codes, refusing even the right one, and tells staff', () => {
    const { codes, clock } = setup()
    const { code } = codes.issue({ id: 'O1', locker: 'K1', slot: 3 })
    for (let i = 0; i < 4; i++) expect(codes.verifyForOrder('O1', other(code)).notices).toEqual([])
    const fifth = codes.verifyForOrder('O1', other(code))
    expect(fifth.notices).toEqual([expect.objectContaining({ type: 'order_locked', orderId: 'O1', slot: 3, failures: 5 })])
    expect(codes.verifyForOrder('O1', code)).toMatchObject({ ok: false, reason: 'order_locked' })
    clock.advance(15 * MIN)
    expect(codes.verifyForOrder('O1', code).ok).toBe(true)
  })

  it('locks the keypad for everyone after 20 wrong codes within 10 minutes', () => {
    const { codes, clock } = setup()
    const { code } = codes.issue({ id: 'O1', locker: 'K1', slot: 3 })
    let notices: unknown[] = []
    for (let i = 0; i < 20; i++) {
      clock.advance(1000)
      notices = codes.verifyAtKeypad('K1', other(code)).notices
    }
    expect(notices).toEqual([expect.objectContaining({ type: 'keypad_locked', locker: 'K1', failures: 20 })])
    expect(codes.verifyAtKeypad('K1', code)).toMatchObject({ ok: false, reason: 'keypad_locked' })
    clock.advance(10 * MIN)
    expect(codes.verifyAtKeypad('K1', code).ok).toBe(true)
  })

  it('does not lock the keypad for wrong codes spread thinner than 20 per 10 minutes', () => {
    const { codes, clock } = setup()
    const { code } = codes.issue({ id: 'O1', locker: 'K1', slot: 3 })
    for (let i = 0; i < 40; i++) {
      clock.advance(32_000) // 19 gaps of 32 s span more than the 10-minute window
      expect(codes.verifyAtKeypad('K1', other(code)).notices).toEqual([])
    }
    expect(codes.verifyAtKeypad('K1', code).ok).toBe(true)
  })

  it('counts a malformed entry as a wrong code', () => {
    const attempts = new CodeAttempts({ perLockerMax: 2 })
    const codes = new PickupCodes({ secret: SECRET, clock: new ManualClock(), attempts })
    codes.issue({ id: 'O1', locker: 'K1', slot: 3 })
    expect(codes.verifyAtKeypad('K1', '12ab')).toMatchObject({ ok: false, reason: 'wrong_code' })
    expect(codes.verifyAtKeypad('K1', '').notices).toEqual([expect.objectContaining({ type: 'keypad_locked' })])
  })

  it('refuses a secret too short to protect the hashes', () => {
    expect(() => new PickupCodes({ secret: 'short', clock: new ManualClock() })).toThrow(/at least 16 bytes/)
  })

  it('verifies codes loaded back from stored records', () => {
    const clock = new ManualClock()
    const a = new PickupCodes({ secret: SECRET, clock })
    const { code } = a.issue({ id: 'O1', locker: 'K1', slot: 3 })
    const b = new PickupCodes({ secret: SECRET, clock })
    b.load(a.records())
    expect(b.verifyAtKeypad('K1', code).ok).toBe(true)
    const wrongSecret = new PickupCodes({ secret: 'another-secret-of-16-bytes', clock })
    wrongSecret.load(a.records())
    expect(wrongSecret.verifyAtKeypad('K1', code).ok).toBe(false)
  })
})
