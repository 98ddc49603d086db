/**
 * Sales velocity of one lane, from its picks, and when the lane will be empty at that pace.
 *
 * Two estimates are blended:
 * - a recent rate, exponentially weighted (time constant τ, default 60 min), which follows a rush;
 * - a time-of-day profile (picks per local hour, averaged over days), so that at 07:30 we already
 *   expect the 08:00 breakfast rush and at 22:00 we do not predict the milk runs out overnight.
 * Once a full day has been seen, the profile gives the shape ahead and the recent rate scales it.
 */
export interface VelocityOptions {
  tauMs?: number
  /** Store's offset from UTC in minutes (Asia/Shanghai = 480); hours of the profile are local. */
  utcOffsetMin?: number
  /** Weight of the newest day in each hour's average. */
  profileAlpha?: number
  /** Never predict further than this (ms): beyond, "not soon" is all we need to know. */
  horizonMs?: number
}

const HOUR = 3_600_000
const MIN = 60_000
// A rate from a few minutes of data is noise: one pick in the first minute is not 60 per hour.
const MIN_OBSERVED_MS = 15 * MIN

export class SalesVelocity {
  readonly #tau: number
  readonly #offset: number
  readonly #alpha: number
  readonly #horizon: number
  #startAt: number | undefined
  #decayed = 0
  #decayedAt = 0
  readonly #profile = new Array<number>(24).fill(0)
  readonly #seen = new Array<number>(24).fill(0)
  #hour: number | undefined
  #picksThisHour = 0

  constructor(opts: VelocityOptions = {}) {
    this.#tau = opts.tauMs ?? 60 * MIN
    this.#offset = (opts.utcOffsetMin ?? 0) * MIN
    this.#alpha = opts.profileAlpha ?? 0.3
    this.#horizon = opts.horizonMs ?? 48 * HOUR
  }

  /** Time passes (call with every reading or tick): rolls the hourly profile forward. */
  observe(at: number): void {
    if (this.#startAt === undefined) {
      this.#startAt = at
      this.#decayedAt = at
    }
    const hour = Math.floor((at + this.#offset) / HOUR)
    if (this.#hour === undefined) {
      this.#hour = hour
      return
    }
    // Close every hour that ended; cap the loop so a week of silence costs a week of hours, no more.
    for (let h = this.#hour; h < hour && h < this.#hour + 24 * 7; h++) {
      // The first (partial) hour after start-up is not a fair sample of its slot.
      if (h !== Math.floor((this.#startAt + this.#offset) / HOUR)) this.#closeHour(h, this.#picksThisHour)
      this.#picksThisHour = 0
    }
    this.#hour = Math.max(this.#hour, hour)
  }

  recordPick(at: number, qty: number): void {
    this.observe(at)
    this.#decay(at)
    this.#decayed += qty
    this.#picksThisHour += qty
  }

  /** Items per minute, recent (exponentially weighted). */
  recentRatePerMin(at: number): number {
    if (this.#startAt === undefined) return 0
    this.#decay(at)
    const observed = Math.max(at - this.#startAt, MIN_OBSERVED_MS)
    // Bias correction: until τ has passed, the decayed sum has had less time to accumulate.
    const effective = this.#tau * (1 - Math.exp(-observed / this.#tau))
    return (this.#decayed / effective) * MIN
  }

  /** True once every hour of the day has been seen at least once. */
  get hasProfile(): boolean {
    return this.#seen.every((n) => n > 0)
  }

  /** Expected picks per hour in a local hour slot (0–23), from the profile. */
  profilePerHour(slot: number): number {
    return this.#profile[slot] ?? 0
  }

  /** When `count` items will be gone at the expected pace, or undefined if not within the horizon. */
  predictEmptyAt(at: number, count: number): number | undefined {
    if (count <= 0) return at
    const recent = this.recentRatePerMin(at)
    if (!this.hasProfile) {
      if (recent <= 0) return undefined
      const t = at + (count / recent) * MIN
      return t - at <= this.#horizon ? t : undefined
    }
    const slot = (t: number): number => (((Math.floor((t + this.#offset) / HOUR)) % 24) + 24) % 24
    const expectedNow = this.#profile[slot(at)] as number
    // Today may be busier or quieter than usual: scale the profile by how the last hour compares.
    const ratio = expectedNow > 0.05 ? clamp((recent * 60) / expectedNow, 0.25, 4) : 1
    let remaining = count
    let t = at
    while (t - at < this.#horizon) {
      const hourEnd = (Math.floor((t + this.#offset) / HOUR) + 1) * HOUR - this.#offset
      const perMs = ((this.#profile[slot(t)] as number) * ratio) / HOUR
      const canSell = perMs * (hourEnd - t)
      if (canSell >= remaining) return t + remaining / perMs
      remaining -= canSell
      t = hourEnd
    }
    return undefined
  }

  #decay(at: number): void {
    if (at <= this.#decayedAt) return
    this.#decayed *= Math.exp(-(at - this.#decayedAt) / this.#tau)
    this.#decayedAt = at
  }

  #closeHour(absHour: number, picks: number): void {
    const s = ((absHour % 24) + 24) % 24
    const seen = this.#seen[s] as number
    this.#profile[s] = seen === 0 ? picks : (this.#profile[s] as number) * (1 - this.#alpha) + picks * this.#alpha
    this.#seen[s] = seen + 1
  }
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x))
}
