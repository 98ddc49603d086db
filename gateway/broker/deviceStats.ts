/**
 * Per-device counters for the staff page's device list and for deciding when to log: a refused payload
 * is logged at most once per device per minute (with the count since the last line), so a broken board
 * publishing at 10 Hz cannot flood the journal on an SD card.
 */
import type { RefusalReason } from '../contract/decode.ts'

export interface DeviceStat {
  device: string
  connected: boolean
  lastSeen?: number
  readings: number
  refused: Partial<Record<RefusalReason, number>>
  lastRefusal?: { reason: RefusalReason; detail: string; topic: string; at: number }
}

const LOG_INTERVAL_MS = 60_000

export class DeviceStats {
  readonly #stats = new Map<string, DeviceStat>()
  readonly #lastLogged = new Map<string, { at: number; suppressed: number }>()

  get(device: string): DeviceStat {
    let s = this.#stats.get(device)
    if (!s) this.#stats.set(device, (s = { device, connected: false, readings: 0, refused: {} }))
    return s
  }

  all(): DeviceStat[] {
    return [...this.#stats.values()]
  }

  reading(device: string, now: number): void {
    const s = this.get(device)
    s.readings++
    s.lastSeen = now
  }

  /** Counts a refusal; returns how many were suppressed since the last log line, or -1 to stay quiet. */
  refusal(device: string, reason: RefusalReason, detail: string, topic: string, now: number): number {
    const s = this.get(device)
    s.refused[reason] = (s.refused[reason] ?? 0) + 1
    s.lastRefusal = { reason, detail, topic, at: now }
    const logged = this.#lastLogged.get(device)
    if (logged && now - logged.at < LOG_INTERVAL_MS) {
      logged.suppressed++
      return -1
    }
    const suppressed = logged?.suppressed ?? 0
    this.#lastLogged.set(device, { at: now, suppressed: 0 })
    return suppressed
  }
}
