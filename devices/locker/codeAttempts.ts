/**
 * Wrong pickup-code attempts, counted per order and per locker. With only 10^6 six-digit codes the
 * attempt limit, not the hash, is what keeps a guesser out: at 20 guesses per 10 minutes per locker
 * the expected time to hit one of 24 live codes is about 10^6 / 24 / 2 guesses ≈ 70 days of keypad time.
 * Pure: every call takes `now`.
 */
export interface AttemptPolicy {
  /** Wrong codes for one order before that order is locked. */
  perOrderMax: number
  orderLockMs: number
  /** Wrong codes at one locker's keypad within the window before the keypad is locked. */
  perLockerMax: number
  perLockerWindowMs: number
  keypadLockMs: number
}

export const defaultAttemptPolicy: AttemptPolicy = {
  perOrderMax: 5,
  orderLockMs: 15 * 60_000,
  perLockerMax: 20,
  perLockerWindowMs: 10 * 60_000,
  keypadLockMs: 10 * 60_000,
}

export type AttemptVerdict =
  | { allowed: true }
  | { allowed: false; reason: 'order_locked' | 'keypad_locked'; until: number }

/** A lockout that just started: the caller raises the staff alert ('locker.code_bruteforce'). */
export type LockoutNotice =
  | { type: 'order_locked'; locker: string; slot?: number; orderId: string; until: number; failures: number; at: number }
  | { type: 'keypad_locked'; locker: string; until: number; failures: number; at: number }

export class CodeAttempts {
  readonly #policy: AttemptPolicy
  readonly #orderFailures = new Map<string, number>()
  readonly #orderLockedUntil = new Map<string, number>()
  readonly #lockerFailures = new Map<string, number[]>()
  readonly #keypadLockedUntil = new Map<string, number>()

  constructor(policy: Partial<AttemptPolicy> = {}) {
    this.#policy = { ...defaultAttemptPolicy, ...policy }
  }

  /** Whether the keypad of `locker` accepts a code now. */
  checkKeypad(locker: string, now: number): AttemptVerdict {
    const until = this.#keypadLockedUntil.get(locker)
    return until !== undefined && now < until ? { allowed: false, reason: 'keypad_locked', until } : { allowed: true }
  }

  /** Whether codes for `orderId` are accepted now (a locked order refuses even the right code). */
  checkOrder(orderId: string, now: number): AttemptVerdict {
    const until = this.#orderLockedUntil.get(orderId)
    return until !== undefined && now < until ? { allowed: false, reason: 'order_locked', until } : { allowed: true }
  }

  /**
   * Counts one wrong code at `locker`, and against `orderId` when the customer named the order
   * (a bare keypad entry does not say which order was meant). Returns the lockouts it started.
   */
  recordFailure(locker: string, orderId: string | undefined, now: number, slot?: number): LockoutNotice[] {
    const p = this.#policy
    const notices: LockoutNotice[] = []
    const recent = (this.#lockerFailures.get(locker) ?? []).filter((t) => t > now - p.perLockerWindowMs)
    recent.push(now)
    if (recent.length >= p.perLockerMax) {
      const until = now + p.keypadLockMs
      this.#keypadLockedUntil.set(locker, until)
      notices.push({ type: 'keypad_locked', locker, until, failures: recent.length, at: now })
      this.#lockerFailures.delete(locker)
    } else {
      this.#lockerFailures.set(locker, recent)
    }
    if (orderId !== undefined) {
      const n = (this.#orderFailures.get(orderId) ?? 0) + 1
      if (n >= p.perOrderMax) {
        const until = now + p.orderLockMs
        this.#orderLockedUntil.set(orderId, until)
        this.#orderFailures.delete(orderId)
        notices.push({ type: 'order_locked', locker, orderId, until, failures: n, at: now, ...(slot !== undefined ? { slot } : {}) })
      } else {
        this.#orderFailures.set(orderId, n)
      }
    }
    return notices
  }

  /** A right code clears the order's count (a typo yesterday should not lock it today). */
  recordSuccess(orderId: string): void {
    this.#orderFailures.delete(orderId)
    this.#orderLockedUntil.delete(orderId)
  }

  /** Drops everything about an order that is gone (collected, returned). */
  forgetOrder(orderId: string): void {
    this.#orderFailures.delete(orderId)
    this.#orderLockedUntil.delete(orderId)
  }
}
