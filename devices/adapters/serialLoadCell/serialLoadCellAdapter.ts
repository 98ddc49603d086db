/**
 * A multi-channel load-cell board on a serial port (docs/shelf.md, serial line protocol) as a shelf
 * device: `channel,raw` lines → per-lane median every `publishIntervalMs` → `shelf.weight` raw
 * readings (grams come from the lane's calibration at the gateway).
 *
 * Online means: port open and a valid line within `silenceMs`. An unplugged adapter closes the port
 * (or errors); the adapter reports offline and reopens the same path with exponential backoff, so a
 * replugged board (same udev symlink) comes back by itself.
 */
import { SerialPort } from 'serialport'
import type { Clock } from '../../../gateway/core/clock.ts'
import { systemClock } from '../../../gateway/core/clock.ts'
import { SerialLineParser } from '../../shelf/serialLineProtocol.ts'
import type { SerialLoadCellConfig } from '../config.ts'
import type { ReadingOutlet } from '../outlet.ts'
import { LaneSampler } from './laneSampler.ts'

export interface SerialLoadCellOptions {
  config: SerialLoadCellConfig
  outlet: ReadingOutlet
  clock?: Clock
  log?: (level: 'info' | 'warn' | 'debug', msg: string) => void
}

export interface SerialLoadCellStats {
  records: number
  garbage: number
  overlong: number
  unmapped: number
  published: number
  opens: number
}

export class SerialLoadCellAdapter {
  readonly #cfg: SerialLoadCellConfig
  readonly #outlet: ReadingOutlet
  readonly #clock: Clock
  readonly #log: NonNullable<SerialLoadCellOptions['log']>
  readonly #parser = new SerialLineParser()
  readonly #sampler: LaneSampler
  #port: SerialPort | undefined
  #running = false
  /** Last status reported; undefined until the first report. */
  #online: boolean | undefined
  #lastRecordAt = 0
  #backoffMs: number
  #opens = 0
  #published = 0
  #reopenTimer: ReturnType<typeof setTimeout> | undefined
  #flushTimer: ReturnType<typeof setInterval> | undefined

  constructor(o: SerialLoadCellOptions) {
    this.#cfg = o.config
    this.#outlet = o.outlet
    this.#clock = o.clock ?? systemClock
    this.#log = o.log ?? (() => {})
    this.#sampler = new LaneSampler(o.config.channels)
    this.#backoffMs = o.config.reopen.initialMs
  }

  get online(): boolean {
    return this.#online === true
  }

  stats(): SerialLoadCellStats {
    return { ...this.#parser.stats, unmapped: this.#sampler.unmapped, published: this.#published, opens: this.#opens }
  }

  start(): void {
    if (this.#running) return
    this.#running = true
    this.#lastRecordAt = this.#clock.now()
    // One timer does both jobs: publish the interval's medians, and notice a board gone silent.
    this.#flushTimer = setInterval(() => this.#tick(), this.#cfg.publishIntervalMs)
    this.#open()
  }

  async stop(): Promise<void> {
    this.#running = false
    clearTimeout(this.#reopenTimer)
    clearInterval(this.#flushTimer)
    const port = this.#port
    this.#port = undefined
    if (port) await closePort(port)
  }

  #open(): void {
    if (!this.#running) return
    this.#opens++
    const c = this.#cfg
    const port = new SerialPort({ path: c.port, baudRate: c.baudRate, dataBits: c.dataBits, parity: c.parity, stopBits: c.stopBits, autoOpen: false })
    this.#port = port
    port.on('data', (chunk: Buffer) => this.#data(chunk))
    port.on('close', () => this.#lost(port, 'port closed (board unplugged?)'))
    port.on('error', (err: Error) => this.#lost(port, err.message))
    port.open((err) => {
      if (this.#port !== port) return
      if (err) return this.#lost(port, `cannot open ${c.port}: ${err.message}`)
      this.#backoffMs = c.reopen.initialMs
      this.#log('info', `${c.id}: ${c.port} open at ${c.baudRate} baud`)
    })
  }

  #data(chunk: Buffer): void {
    const records = this.#parser.push(chunk)
    if (records.length === 0) return
    for (const r of records) this.#sampler.add(r.channel, r.raw)
    this.#lastRecordAt = this.#clock.now()
    if (this.#online !== true) this.#setOnline(true)
  }

  #tick(): void {
    const now = this.#clock.now()
    for (const s of this.#sampler.flush()) {
      this.#outlet.reading({ kind: 'shelf.weight', shelf: s.shelf, lane: s.lane, raw: s.raw, ts: now })
      this.#published++
    }
    if (this.#online !== false && now - this.#lastRecordAt > this.#cfg.silenceMs) this.#setOnline(false, `no valid line for ${this.#cfg.silenceMs} ms`)
  }

  #setOnline(online: boolean, reason?: string): void {
    this.#online = online
    const s = this.stats()
    if (online) this.#log('info', `${this.#cfg.id}: board online`)
    else this.#log('warn', `${this.#cfg.id}: board offline: ${reason}`)
    this.#outlet.status(online ? { online, errors: s.garbage + s.overlong } : { online, errors: s.garbage + s.overlong, reason: reason ?? 'unknown' })
  }

  #lost(port: SerialPort, reason: string): void {
    if (this.#port !== port || !this.#running) return
    this.#port = undefined
    void closePort(port)
    this.#sampler.flush() // samples from before the loss would be stamped after it
    if (this.#online !== false) this.#setOnline(false, reason)
    const wait = this.#backoffMs
    this.#backoffMs = Math.min(this.#backoffMs * 2, this.#cfg.reopen.maxMs)
    this.#log('debug', `${this.#cfg.id}: ${reason}; reopening in ${wait} ms`)
    this.#reopenTimer = setTimeout(() => this.#open(), wait)
  }
}

function closePort(port: SerialPort): Promise<void> {
  port.removeAllListeners()
  port.on('error', () => {})
  if (!port.isOpen) return Promise.resolve()
  return new Promise<void>((resolve) => port.close(() => resolve()))
}
