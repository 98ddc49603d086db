/** Shared fixtures for the shelf tests: a milk lane and a way to hold a weight on it for a while. */
import { LanePipeline } from '../../devices/shelf/lanePipeline.ts'
import type { PipelineOptions } from '../../devices/shelf/lanePipeline.ts'
import type { ShelfEvent } from '../../devices/shelf/events.ts'
import type { LaneConfig } from '../../devices/shelf/laneConfig.ts'

export const T0 = Date.UTC(2026, 2, 2, 1, 0) // 09:00 in Shanghai
export const MILK = 262
export const TARE = 100

export function milkLane(overrides: Partial<LaneConfig> = {}): LaneConfig {
  return { id: 'L1', sku: '6901234567892', name: 'milk 250 ml', unitWeight: MILK, capacity: 24, restockAt: 6, leadTimeMin: 30, tareG: TARE, ...overrides }
}

/** A lane pipeline plus a cursor in (fake) time, sampling at 2 Hz like the reference store. */
export class Bench {
  readonly p: LanePipeline
  t: number
  readonly events: ShelfEvent[] = []
  #n = 0

  constructor(lane: LaneConfig = milkLane(), opts: PipelineOptions = {}, t = T0) {
    this.p = new LanePipeline(lane, opts)
    this.t = t
  }

  /** Holds `g` (plus a ±0.4 g wobble, like a real load cell) for `ms`; returns the events it caused. */
  hold(g: number, ms: number, periodMs = 500): ShelfEvent[] {
    const out: ShelfEvent[] = []
    for (const end = this.t + ms; this.t < end; this.t += periodMs) {
      const wobble = ((this.#n++ % 3) - 1) * 0.4
      out.push(...this.p.push({ ts: this.t, g: g + wobble }))
    }
    this.events.push(...out)
    return out
  }

  /** A hand on the shelf: the weight wavers around g by ±amp (deterministic zig-zag). */
  hand(g: number, ms: number, amp = 25): ShelfEvent[] {
    const out: ShelfEvent[] = []
    const zig = [1, -0.6, 0.3, -1, 0.8, -0.2]
    for (const end = this.t + ms; this.t < end; this.t += 500) out.push(...this.p.push({ ts: this.t, g: g + amp * (zig[this.#n++ % zig.length] as number) }))
    this.events.push(...out)
    return out
  }
}

export const items = (n: number, extraG = 0): number => TARE + n * MILK + extraG
