/** Token bucket: `ratePerSec` sustained, `burst` at once. Pure; the caller passes the time. */
export class TokenBucket {
  #tokens: number
  #last: number
  readonly ratePerSec: number
  readonly burst: number

  constructor(ratePerSec: number, burst: number, now: number) {
    this.ratePerSec = ratePerSec
    this.burst = burst
    this.#tokens = burst
    this.#last = now
  }

  #refill(now: number): void {
    if (now > this.#last) {
      this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#last) / 1000) * this.ratePerSec)
      this.#last = now
    }
  }

  /** Takes a token if one is there. */
  tryTake(now: number): boolean {
    this.#refill(now)
    if (this.#tokens >= 1) {
      this.#tokens -= 1
      return true
    }
    return false
  }

  /** Reserves a token even if it is not there yet; returns how long the caller should wait for it (ms). */
  reserve(now: number): number {
    this.#refill(now)
    this.#tokens -= 1
    return this.#tokens >= 0 ? 0 : Math.ceil((-this.#tokens / this.ratePerSec) * 1000)
  }
}

/** Failed logins per key (remote address) in a sliding one-minute window. */
export class FailureWindow {
  readonly #hits = new Map<string, number[]>()
  readonly limit: number
  readonly windowMs: number

  constructor(limit: number, windowMs = 60_000) {
    this.limit = limit
    this.windowMs = windowMs
  }

  #recent(key: string, now: number): number[] {
    const list = (this.#hits.get(key) ?? []).filter((t) => now - t < this.windowMs)
    if (list.length) this.#hits.set(key, list)
    else this.#hits.delete(key)
    return list
  }

  blocked(key: string, now: number): boolean {
    return this.#recent(key, now).length >= this.limit
  }

  record(key: string, now: number): void {
    const list = this.#recent(key, now)
    list.push(now)
    this.#hits.set(key, list)
  }
}
