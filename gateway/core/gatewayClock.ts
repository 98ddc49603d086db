/**
 * The gateway's clock. A Raspberry Pi has no battery clock: after a power cut it boots with the time
 * fake-hwclock saved at shutdown (or 1970), and only NTP fixes it, if the store has internet at all.
 *
 * Until the system clock is known to be synchronised, time is a monotonic count from the best
 * estimate of "now" the gateway has: the system clock, but never earlier than the last time this
 * gateway saw (kept in the database) or 2020-01-01. When sync is detected, the clock switches to
 * system time and reports the offset, so records stamped meanwhile can be corrected. Nothing
 * before 2020 is ever stamped.
 */
import { existsSync } from 'node:fs'
import type { Clock } from './clock.ts'

export const EARLIEST_TS = Date.UTC(2020, 0, 1)

export interface ClockSync {
  /** Estimated time at which the unsynced period began, and when sync was detected (both on the new scale). */
  from: number
  to: number
  /** Add this to a timestamp taken while unsynced to get system time. */
  offsetMs: number
}

export interface GatewayClockOptions {
  /** Is the system clock synchronised (NTP)? */
  synced: () => boolean
  /** Last timestamp this gateway wrote before it stopped (from the database), if any. */
  lastKnown?: number
  wall?: () => number
  mono?: () => number
}

/** systemd-timesyncd marks a synchronised clock with this file; without timesyncd, trust the system clock. */
export function systemClockSynced(marker = '/run/systemd/timesync/synchronized', timesyncDir = '/run/systemd/timesync'): () => boolean {
  if (!existsSync(timesyncDir)) return () => true
  return () => existsSync(marker)
}

export class GatewayClock implements Clock {
  readonly #wall: () => number
  readonly #mono: () => number
  readonly #isSynced: () => boolean
  #synced: boolean
  #base = 0
  #mono0 = 0
  #unsyncedFrom = 0

  constructor(opts: GatewayClockOptions) {
    this.#wall = opts.wall ?? Date.now
    this.#mono = opts.mono ?? (() => performance.now())
    this.#isSynced = opts.synced
    this.#synced = this.#isSynced()
    if (!this.#synced) {
      this.#base = Math.max(this.#wall(), opts.lastKnown ?? 0, EARLIEST_TS)
      this.#mono0 = this.#mono()
      this.#unsyncedFrom = this.#base
    }
  }

  get synced(): boolean {
    return this.#synced
  }

  now(): number {
    if (this.#synced) return Math.max(this.#wall(), EARLIEST_TS)
    return this.#base + (this.#mono() - this.#mono0)
  }

  /** While unsynced, moves the estimate forward to a time known to have passed (e.g. the newest stored reading). */
  raiseFloor(ts: number): void {
    if (this.#synced || ts <= this.now()) return
    this.#base = ts
    this.#mono0 = this.#mono()
    this.#unsyncedFrom = Math.max(this.#unsyncedFrom, ts)
  }

  /** Checks for sync (call it every few seconds); returns the correction once, when sync is first seen. */
  poll(): ClockSync | undefined {
    if (this.#synced || !this.#isSynced()) return undefined
    const estimate = this.now()
    this.#synced = true
    const real = this.now()
    return { from: this.#unsyncedFrom, to: estimate, offsetMs: real - estimate }
  }
}
