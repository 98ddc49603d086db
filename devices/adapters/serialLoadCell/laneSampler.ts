/**
 * Decimation of a load-cell board's stream: boards print 10 or 80 samples per second per channel,
 * the gateway wants a couple of readings per second per lane (and limits each client to 50
 * publishes/s). Each interval, every mapped channel yields the median of its samples, which also
 * drops the HX711's one-sample spikes. Pure.
 */
export interface LaneRef {
  shelf: string
  lane: string
}

export interface LaneSample extends LaneRef {
  raw: number
  /** Samples the median was taken over. */
  n: number
}

export class LaneSampler {
  readonly #lanes: Map<number, LaneRef>
  readonly #samples = new Map<number, number[]>()
  /** Records from channels no lane is mapped to. */
  unmapped = 0

  constructor(channels: readonly (LaneRef & { channel: number })[]) {
    this.#lanes = new Map(channels.map((c) => [c.channel, { shelf: c.shelf, lane: c.lane }]))
  }

  add(channel: number, raw: number): void {
    if (!this.#lanes.has(channel)) {
      this.unmapped++
      return
    }
    let list = this.#samples.get(channel)
    if (!list) this.#samples.set(channel, (list = []))
    // Bounded: a board far faster than expected cannot grow memory between flushes.
    if (list.length < 1000) list.push(raw)
  }

  /** One sample per lane that had data since the last flush. */
  flush(): LaneSample[] {
    const out: LaneSample[] = []
    for (const [channel, list] of this.#samples) {
      if (list.length === 0) continue
      const lane = this.#lanes.get(channel) as LaneRef
      out.push({ ...lane, raw: median(list), n: list.length })
    }
    this.#samples.clear()
    return out
  }
}

/** The median; for an even count the lower of the two middle values, so it is always a sample. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[(sorted.length - 1) >> 1] as number
}
