/**
 * Which readings are worth a raw row on the SD card (DESIGN §3 storage discipline): a change
 * beyond the channel's deadband, any change of a discrete state, or a heartbeat every few minutes
 * so charts and "last seen" stay honest. Pure: time comes from the readings' own ts.
 */
import type { Reading } from '../contract/readings.ts'
import { readingSubject } from '../contract/readings.ts'

export interface DeadbandOptions {
  /** Calibrated shelf weight, grams. */
  shelfGrams?: number
  /** Raw ADC counts. ~400 counts per gram on a 5 kg cell with an HX711 at gain 128, so 800 ≈ 2 g. */
  shelfRawCounts?: number
  /** Cold-unit temperature, °C. */
  coldC?: number
  /** Store at least one reading per channel this often. */
  heartbeatMs?: number
  /** Per-channel overrides of the numeric deadband, keyed by channelKey(). */
  perChannel?: Record<string, number>
  /**
   * Per-channel limits (a cold unit's holding limit, °C), keyed by channelOf(): a reading on the
   * other side of its limit than the last stored one is stored however small the step, so the raw
   * rows show every excursion's start and end and recovery replays them.
   */
  limits?: Record<string, number>
}

/** 3.8 − 3.6 is 0.19999999999999973 in binary floating point; a sensor step of exactly the band counts. */
const EPSILON = 1e-9

/** One channel: its configured band and limit, and the last value stored (undefined before the first). */
interface Channel {
  band: number | undefined
  limit: number | undefined
  ts: number
  value: number | string | undefined
}

/** More subjects than a store has (the ids come from the config); past it the state starts over. */
const CHANNEL_SUBJECTS_MAX = 50_000

/** A channel's name from its parts, for configuring per-channel bands and limits. */
export function channelKey(subject: string, kind: Reading['kind'], probe?: string): string {
  return probe === undefined ? `${subject}|${kind}` : `${subject}|${kind}|${probe}`
}

export class Deadband {
  readonly #shelfGrams: number
  readonly #shelfRaw: number
  readonly #coldC: number
  readonly #heartbeatMs: number
  readonly #perChannel: Record<string, number>
  readonly #limits: Record<string, number>
  /**
   * subject → kind (or probe, for temperatures) → channel. Two lookups on strings that are already
   * interned, instead of building a channel name per reading and looking it up three times.
   */
  readonly #channels = new Map<string, Map<string, Channel>>()

  constructor(options: DeadbandOptions = {}) {
    this.#shelfGrams = options.shelfGrams ?? 2
    this.#shelfRaw = options.shelfRawCounts ?? 800
    this.#coldC = options.coldC ?? 0.2
    this.#heartbeatMs = options.heartbeatMs ?? 5 * 60_000
    this.#perChannel = options.perChannel ?? {}
    this.#limits = options.limits ?? {}
  }

  /** Start state from what the DB already holds (readings of the last heartbeat period, oldest first). */
  prime(stored: Iterable<Reading>): void {
    for (const r of stored) {
      const c = this.#channel(r)
      c.ts = r.ts
      c.value = valueOf(r)
    }
  }

  /** Decides and, when true, remembers the reading as the channel's last stored value. */
  shouldStore(r: Reading): boolean {
    return this.classify(r) !== 'skip'
  }

  /**
   * 'change': the reading moves the channel beyond its band (or is its first): store it durably.
   * 'heartbeat': within the band, but the channel has not been stored for heartbeatMs: store it for
   * "last seen" and charts, though its value is already on disk within the band.
   * 'skip': within the band and recent. Remembers the reading unless it is skipped.
   */
  classify(r: Reading): 'change' | 'heartbeat' | 'skip' {
    const c = this.#channel(r)
    const last = c.value
    const value = valueOf(r)
    const changed =
      last === undefined ||
      (typeof value === 'number' && typeof last === 'number'
        ? Math.abs(value - last) >= (c.band ?? this.#band(r)) - EPSILON || (c.limit !== undefined && last > c.limit !== value > c.limit)
        : value !== last)
    const verdict = changed ? 'change' : r.ts - c.ts >= this.#heartbeatMs ? 'heartbeat' : 'skip'
    if (verdict === 'skip') return verdict
    // Updated in place: a new object per stored reading would live until the channel's next one,
    // long enough to reach the old generation at 40k readings/s.
    c.ts = r.ts
    c.value = value
    return verdict
  }

  /** Undoes a remembered reading whose write failed, so the channel's next reading is stored. */
  forget(r: Reading): void {
    this.#channel(r).value = undefined
  }

  #channel(r: Reading): Channel {
    const subject = readingSubject(r)
    const part = r.kind === 'cold.temp' ? r.probe : r.kind
    let inner = this.#channels.get(subject)
    if (inner === undefined) {
      if (this.#channels.size >= CHANNEL_SUBJECTS_MAX) this.#channels.clear()
      this.#channels.set(subject, (inner = new Map()))
    }
    let c = inner.get(part)
    if (c === undefined) {
      const key = channelKey(subject, r.kind, r.kind === 'cold.temp' ? r.probe : undefined)
      c = { band: this.#perChannel[key], limit: this.#limits[key], ts: 0, value: undefined }
      inner.set(part, c)
    }
    return c
  }

  #band(r: Reading): number {
    if (r.kind === 'shelf.weight') return r.g !== undefined ? this.#shelfGrams : this.#shelfRaw
    if (r.kind === 'cold.temp') return this.#coldC
    return 0
  }
}

function valueOf(r: Reading): number | string {
  switch (r.kind) {
    case 'shelf.weight':
      return r.g ?? r.raw ?? Number.NaN
    case 'cold.temp':
      return r.c
    case 'cold.door':
      return r.open ? 'open' : 'closed'
    case 'cold.defrost':
      return r.active ? 'on' : 'off'
    case 'locker.event':
      // Every locker event is a fact of its own (two door_opened in a row are two openings).
      return `${r.type}@${r.ts}`
    case 'device.status':
      return JSON.stringify([r.online, r.fw, r.battery, r.errors])
  }
}
