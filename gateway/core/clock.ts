/** Time source injected into every rule and state machine so tests can play hours of data in milliseconds. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

/** A clock that only moves when told to: for tests and time-compressed simulations. */
export class ManualClock implements Clock {
  #t: number
  constructor(start = Date.UTC(2026, 0, 1)) {
    this.#t = start
  }
  now(): number {
    return this.#t
  }
  advance(ms: number): void {
    this.#t += ms
  }
  set(t: number): void {
    this.#t = t
  }
}
