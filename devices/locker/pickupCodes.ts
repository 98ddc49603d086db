/**
 * Pickup codes: one 6-digit code per order, drawn with crypto randomness, usable once, expiring, and
 * never stored in clear (only the digits sent to the customer ever see them).
 *
 * Why HMAC-SHA256(gateway secret, order id + per-order salt + code) and not scrypt: a 6-digit code has
 * only 10^6 values, so any hash of the code alone is reversed offline in seconds to hours whatever its
 * cost factor. What protects a stolen database is the gateway secret, which lives in the config file
 * (readable only by the service user), not in the database; what protects the keypad is the attempt
 * limit in codeAttempts.ts. HMAC is also cheap enough to check every live code of a locker on each
 * keypad entry (up to 48 per press), which a Pi could not do with scrypt at a meaningful cost.
 */
import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto'
import type { Clock } from '../../gateway/core/clock.ts'
import type { LockoutNotice } from './codeAttempts.ts'
import { CodeAttempts } from './codeAttempts.ts'

export interface StoredCode {
  orderId: string
  locker: string
  slot?: number
  /** Hex, 16 random bytes per order: equal codes of two orders hash differently. */
  salt: string
  /** Hex HMAC-SHA256. */
  hash: string
  issuedAt: number
  expiresAt: number
  usedAt?: number
}

export interface PickupCodesOptions {
  /** Gateway secret (≥ 16 bytes) from the config file; never stored next to the hashes. */
  secret: string | Buffer
  clock: Clock
  /** Default lifetime when `issue` is not given an expiry. 72 h: Amazon Locker holds parcels 3 days. */
  ttlMs?: number
  attempts?: CodeAttempts
  /** Injected in tests only; defaults to crypto.randomInt. */
  randomInt?: (maxExclusive: number) => number
}

export type VerifyResult =
  | { ok: true; orderId: string; locker: string; slot?: number; notices: LockoutNotice[] }
  | {
      ok: false
      reason: 'wrong_code' | 'expired' | 'used' | 'order_locked' | 'keypad_locked' | 'unknown_order'
      retryAt?: number
      /** Lockouts this attempt started: raise the 'locker.code_bruteforce' alert. */
      notices: LockoutNotice[]
    }

const CODE = /^\d{6}$/

export class PickupCodes {
  readonly #secret: Buffer
  readonly #clock: Clock
  readonly #ttlMs: number
  readonly #attempts: CodeAttempts
  readonly #random: (max: number) => number
  readonly #byOrder = new Map<string, StoredCode>()

  constructor(opts: PickupCodesOptions) {
    this.#secret = Buffer.isBuffer(opts.secret) ? opts.secret : Buffer.from(opts.secret, 'utf8')
    if (this.#secret.length < 16) throw new Error('pickup code secret must be at least 16 bytes')
    this.#clock = opts.clock
    this.#ttlMs = opts.ttlMs ?? 72 * 60 * 60 * 1000
    this.#attempts = opts.attempts ?? new CodeAttempts()
    this.#random = opts.randomInt ?? ((max) => randomInt(0, max))
  }

  /**
   * Issues the order's code (replacing any earlier one). The clear code is returned once, to be sent
   * to the customer; only its hash is kept. Codes live at one locker are kept distinct, so a keypad
   * entry can never match two orders.
   */
  issue(order: { id: string; locker: string; slot?: number; expiresAt?: number }): { code: string; record: StoredCode } {
    const now = this.#clock.now()
    let code = ''
    for (let tries = 0; tries < 20; tries++) {
      code = String(this.#random(1_000_000)).padStart(6, '0')
      if (!this.#liveAt(order.locker, now).some((r) => r.orderId !== order.id && this.#matches(r, code))) break
    }
    const salt = randomBytes(16).toString('hex')
    const record: StoredCode = {
      orderId: order.id,
      locker: order.locker,
      salt,
      hash: this.#hash(order.id, salt, code).toString('hex'),
      issuedAt: now,
      expiresAt: order.expiresAt ?? now + this.#ttlMs,
      ...(order.slot !== undefined ? { slot: order.slot } : {}),
    }
    this.#byOrder.set(order.id, record)
    this.#attempts.forgetOrder(order.id)
    return { code, record }
  }

  /** A code typed on the locker's keypad: which order it opens, if any. */
  verifyAtKeypad(locker: string, code: string): VerifyResult {
    const now = this.#clock.now()
    const keypad = this.#attempts.checkKeypad(locker, now)
    if (!keypad.allowed) return { ok: false, reason: keypad.reason, retryAt: keypad.until, notices: [] }
    const entered = code.trim()
    // Compare against every code of this locker without stopping at the first match, so the time
    // taken does not tell a guesser how close the code was or which order it belonged to.
    // A used or expired code may equal a live one (distinctness is kept among live codes only): prefer the live.
    let live: StoredCode | undefined
    let stale: StoredCode | undefined
    for (const r of this.#byOrder.values()) {
      if (r.locker !== locker || !this.#matches(r, entered)) continue
      if (r.usedAt === undefined && now < r.expiresAt) live ??= r
      else stale ??= r
    }
    const hit = live ?? stale
    if (!hit || !CODE.test(entered)) return this.#wrong(locker, undefined, now)
    return this.#settle(hit, now)
  }

  /** A code entered for a named order (app, QR scan, staff page). Counts against that order too. */
  verifyForOrder(orderId: string, code: string): VerifyResult {
    const now = this.#clock.now()
    const r = this.#byOrder.get(orderId)
    if (!r) return { ok: false, reason: 'unknown_order', notices: [] }
    const keypad = this.#attempts.checkKeypad(r.locker, now)
    if (!keypad.allowed) return { ok: false, reason: keypad.reason, retryAt: keypad.until, notices: [] }
    const entered = code.trim()
    if (!this.#matches(r, entered) || !CODE.test(entered)) return this.#wrong(r.locker, orderId, now, r.slot)
    return this.#settle(r, now)
  }

  /** Withdraws the order's code (order returned, cancelled or re-issued elsewhere). */
  revoke(orderId: string): void {
    this.#byOrder.delete(orderId)
    this.#attempts.forgetOrder(orderId)
  }

  /** Hashed records, for persistence; they contain no clear codes. */
  records(): StoredCode[] {
    return [...this.#byOrder.values()].map((r) => ({ ...r }))
  }

  load(records: Iterable<StoredCode>): void {
    for (const r of records) this.#byOrder.set(r.orderId, { ...r })
  }

  #settle(r: StoredCode, now: number): VerifyResult {
    // The right code is still refused while its order is locked: otherwise the lock would not slow a guesser.
    const order = this.#attempts.checkOrder(r.orderId, now)
    if (!order.allowed) return { ok: false, reason: order.reason, retryAt: order.until, notices: [] }
    if (r.usedAt !== undefined) return { ok: false, reason: 'used', notices: [] }
    if (now >= r.expiresAt) return { ok: false, reason: 'expired', notices: [] }
    r.usedAt = now
    this.#attempts.recordSuccess(r.orderId)
    return { ok: true, orderId: r.orderId, locker: r.locker, notices: [], ...(r.slot !== undefined ? { slot: r.slot } : {}) }
  }

  #wrong(locker: string, orderId: string | undefined, now: number, slot?: number): VerifyResult {
    return { ok: false, reason: 'wrong_code', notices: this.#attempts.recordFailure(locker, orderId, now, slot) }
  }

  #liveAt(locker: string, now: number): StoredCode[] {
    return [...this.#byOrder.values()].filter((r) => r.locker === locker && r.usedAt === undefined && now < r.expiresAt)
  }

  #matches(r: StoredCode, code: string): boolean {
    const expected = Buffer.from(r.hash, 'hex')
    const actual = this.#hash(r.orderId, r.salt, code)
    return expected.length === actual.length && timingSafeEqual(expected, actual)
  }

  #hash(orderId: string, salt: string, code: string): Buffer {
    return createHmac('sha256', this.#secret).update(`${orderId}\0${salt}\0${code}`).digest()
  }
}
