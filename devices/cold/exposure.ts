/**
 * Cumulative exposure of one unit: minutes and degree-minutes above its holding limit (all trusted
 * time, as the HACCP report shows it), and the counted time above the time–temperature threshold in a
 * rolling window (for the discard rule). Between two readings the earlier value is held, for at most
 * `maxHoldMs` (a longer silence is a data gap and is not counted).
 */
const minute = 60_000

export class Exposure {
  minutesAboveLimit = 0
  degreeMinutesAboveLimit = 0
  /** Counted segments above the time–temperature threshold, oldest first, merged when contiguous. */
  #segments: Array<[number, number]> = []
  #resetAt = -Infinity

  /** Add the held interval [from, to) at `c` °C. `ttaCountFrom` is where TTA counting starts (null: not counting). */
  add(from: number, to: number, c: number, maxC: number, ttaC: number, ttaCountFrom: number | null): void {
    if (to <= from) return
    const minutes = (to - from) / minute
    if (c > maxC) {
      this.minutesAboveLimit += minutes
      this.degreeMinutesAboveLimit += (c - maxC) * minutes
    }
    if (c > ttaC && ttaCountFrom !== null) {
      const start = Math.max(from, ttaCountFrom, this.#resetAt)
      if (start < to) this.#pushSegment(start, to)
    }
  }

  #pushSegment(start: number, end: number): void {
    const last = this.#segments[this.#segments.length - 1]
    if (last !== undefined && start <= last[1]) last[1] = Math.max(last[1], end)
    else this.#segments.push([start, end])
  }

  /** Counted minutes above the TTA threshold within [now − windowMin, now], plus an open stretch not yet added. */
  ttaMinutes(now: number, windowMin: number, open: readonly [number, number] | null = null): number {
    const from = Math.max(now - windowMin * minute, this.#resetAt)
    while (this.#segments.length > 0 && this.#segments[0]![1] <= from) this.#segments.shift()
    let ms = 0
    let coveredUntil = -Infinity
    for (const [s, e] of this.#segments) {
      const a = Math.max(s, from)
      const b = Math.min(e, now)
      if (b > a) ms += b - a
      coveredUntil = Math.max(coveredUntil, e)
    }
    if (open !== null) {
      const a = Math.max(open[0], from, coveredUntil)
      const b = Math.min(open[1], now)
      if (b > a) ms += b - a
    }
    return ms / minute
  }

  /** Stock replaced or discarded: the time–temperature clock starts again. Raw counters are kept. */
  resetTta(at: number): void {
    this.#resetAt = at
    this.#segments = []
  }
}
