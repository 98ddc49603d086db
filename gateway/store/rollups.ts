/**
 * 1-minute rollups (DESIGN §3, §7), pure: feed samples, get closed minutes back. The edge calls
 * closeUntil(clock.now()) every few seconds and hands what closes to Storage.writeRollups, which
 * upserts them and queues them for the cloud in one transaction.
 */
import type { Reading } from '../contract/readings.ts'
import { readingSubject } from '../contract/readings.ts'
import type { Rollup } from './types.ts'

export const MINUTE_MS = 60_000

export interface Sample {
  subject: string
  metric: string
  ts: number
  value: number
}

/** The numbers a reading contributes; door/defrost as 0/1 so max says "opened during that minute". */
export function samplesOf(r: Reading): Sample[] {
  const subject = readingSubject(r)
  const s = (metric: string, value: number | undefined): Sample[] =>
    value === undefined || !Number.isFinite(value) ? [] : [{ subject, metric, ts: r.ts, value }]
  switch (r.kind) {
    case 'shelf.weight':
      return r.g !== undefined ? s('g', r.g) : s('raw', r.raw)
    case 'cold.temp':
      return s(`temp.${r.probe}`, r.c)
    case 'cold.door':
      return s('door_open', r.open ? 1 : 0)
    case 'cold.defrost':
      return s('defrost', r.active ? 1 : 0)
    case 'device.status':
      return s('battery', r.battery)
    case 'locker.event':
      return []
  }
}

/** Nothing closed: shared, never to be modified by callers. */
const NONE: Rollup[] = Object.freeze([]) as unknown as Rollup[]
const TEMP_METRICS: Record<string, string> = { air: 'temp.air', product: 'temp.product', evaporator: 'temp.evaporator' }

/** Id of a closed minute for the cloud's duplicate check (minute first, like the table's key). */
export function rollupDedupeId(r: Pick<Rollup, 'subject' | 'metric' | 'minute'>): string {
  return `${r.minute}|${r.subject}|${r.metric}`
}

interface Bucket extends Rollup {
  lastTs: number
}

/** One subject's metric: its open minute, and the last minute emitted (a sample for it again must not re-open and overwrite it). */
interface Series {
  open: Bucket | undefined
  closedMinute: number
}

export interface AggregatorOptions {
  /** How long after a minute ends late samples are still accepted (device clocks, queueing). */
  graceMs?: number
}

export class RollupAggregator {
  readonly #graceMs: number
  /** subject → metric → series: two lookups per reading on interned strings. */
  readonly #series = new Map<string, Map<string, Series>>()
  /** Samples for a minute already closed: dropped, counted for /metrics. */
  late = 0

  constructor(options: AggregatorOptions = {}) {
    this.#graceMs = options.graceMs ?? 5_000
  }

  /** Adds a reading's samples; returns minutes that a newer sample closed. Same as samplesOf + add, without the arrays. */
  addReading(r: Reading): Rollup[] {
    switch (r.kind) {
      case 'shelf.weight':
        return r.g !== undefined ? this.#value(readingSubject(r), 'g', r.ts, r.g) : this.#value(readingSubject(r), 'raw', r.ts, r.raw)
      case 'cold.temp':
        return this.#value(readingSubject(r), TEMP_METRICS[r.probe] ?? `temp.${r.probe}`, r.ts, r.c)
      case 'cold.door':
        return this.#value(readingSubject(r), 'door_open', r.ts, r.open ? 1 : 0)
      case 'cold.defrost':
        return this.#value(readingSubject(r), 'defrost', r.ts, r.active ? 1 : 0)
      case 'device.status':
        return this.#value(readingSubject(r), 'battery', r.ts, r.battery)
      case 'locker.event':
        return NONE
    }
  }

  add(s: Sample): Rollup[] {
    return this.#value(s.subject, s.metric, s.ts, s.value)
  }

  #value(subject: string, metric: string, ts: number, value: number | undefined): Rollup[] {
    if (value === undefined || !Number.isFinite(value)) return NONE
    const series = this.#seriesOf(subject, metric)
    const minute = Math.floor(ts / MINUTE_MS) * MINUTE_MS
    const b = series.open
    if ((b && minute < b.minute) || minute <= series.closedMinute) {
      this.late++
      return NONE
    }
    if (b && minute === b.minute) {
      if (value < b.min) b.min = value
      if (value > b.max) b.max = value
      b.sum += value
      b.count++
      if (ts >= b.lastTs) {
        b.last = value
        b.lastTs = ts
      }
      return NONE
    }
    series.open = { subject, metric, minute, min: value, max: value, sum: value, count: 1, last: value, lastTs: ts }
    if (!b) return NONE
    series.closedMinute = b.minute
    return [strip(b)]
  }

  #seriesOf(subject: string, metric: string): Series {
    let bySubject = this.#series.get(subject)
    if (bySubject === undefined) this.#series.set(subject, (bySubject = new Map()))
    let series = bySubject.get(metric)
    if (series === undefined) bySubject.set(metric, (series = { open: undefined, closedMinute: -Infinity }))
    return series
  }

  /** Closes every minute that ended more than graceMs before now. */
  closeUntil(now: number): Rollup[] {
    const closed: Rollup[] = []
    for (const series of this.#allSeries()) {
      const b = series.open
      if (b && b.minute + MINUTE_MS + this.#graceMs <= now) {
        closed.push(strip(b))
        series.closedMinute = b.minute
        series.open = undefined
      }
    }
    return closed
  }

  /** Everything still open, e.g. at shutdown: a partial minute is better than a lost one. */
  closeAll(): Rollup[] {
    const all: Rollup[] = []
    for (const series of this.#allSeries()) {
      if (!series.open) continue
      all.push(strip(series.open))
      series.closedMinute = series.open.minute
      series.open = undefined
    }
    return all
  }

  *#allSeries(): Iterable<Series> {
    for (const bySubject of this.#series.values()) yield* bySubject.values()
  }
}

function strip(b: Bucket): Rollup {
  return { subject: b.subject, metric: b.metric, minute: b.minute, min: b.min, max: b.max, sum: b.sum, count: b.count, last: b.last }
}
