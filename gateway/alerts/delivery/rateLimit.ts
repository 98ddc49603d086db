/**
 * Client-side rate limits, so we stay under each service's limit instead of being throttled by it.
 *
 * "N per minute" services get a sliding window (at most N sends in any window), not a token bucket of
 * size N: a bucket that starts full and refills N per minute lets 2N through in the first minute, and
 * DingTalk punishes that with a 10-minute ban. ntfy itself uses a token bucket, so ntfy gets one.
 */
import type { RateLimitSpec } from '../channels/types.ts'

export interface RateLimiter {
  /** Sends allowed right now without waiting. */
  available(now: number): number
  /** Earliest instant a send is allowed (≤ now means now). */
  nextFreeAt(now: number): number
  take(now: number): void
}

export class SlidingWindow implements RateLimiter {
  readonly #max: number
  readonly #windowMs: number
  #sent: number[] = []

  constructor(max: number, windowMs: number) {
    this.#max = max
    this.#windowMs = windowMs
  }

  #prune(now: number): void {
    while (this.#sent.length > 0 && (this.#sent[0] ?? 0) <= now - this.#windowMs) this.#sent.shift()
  }

  available(now: number): number {
    this.#prune(now)
    return this.#max - this.#sent.length
  }

  nextFreeAt(now: number): number {
    this.#prune(now)
    if (this.#sent.length < this.#max) return now
    return (this.#sent[this.#sent.length - this.#max] ?? now) + this.#windowMs
  }

  take(now: number): void {
    this.#prune(now)
    this.#sent.push(now)
  }
}

export class TokenBucket implements RateLimiter {
  readonly #burst: number
  readonly #refillEveryMs: number
  #tokens: number
  #at: number | undefined

  constructor(burst: number, refillEveryMs: number) {
    this.#burst = burst
    this.#refillEveryMs = refillEveryMs
    this.#tokens = burst
  }

  #refill(now: number): void {
    if (this.#at === undefined) this.#at = now
    const gained = Math.floor((now - this.#at) / this.#refillEveryMs)
    if (gained > 0) {
      this.#tokens = Math.min(this.#burst, this.#tokens + gained)
      this.#at = this.#tokens === this.#burst ? now : this.#at + gained * this.#refillEveryMs
    }
  }

  available(now: number): number {
    this.#refill(now)
    return this.#tokens
  }

  nextFreeAt(now: number): number {
    this.#refill(now)
    return this.#tokens > 0 ? now : (this.#at ?? now) + this.#refillEveryMs
  }

  take(now: number): void {
    this.#refill(now)
    this.#tokens = Math.max(0, this.#tokens - 1)
  }
}

export function limiterFor(spec: RateLimitSpec): RateLimiter {
  return spec.kind === 'window' ? new SlidingWindow(spec.max, spec.windowMs) : new TokenBucket(spec.burst, spec.refillEveryMs)
}
