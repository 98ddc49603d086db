/**
 * Polls one Modbus device (weight transmitter or refrigeration controller) and hands its readings to
 * an outlet. Failure handling:
 * - every request has a timeout (modbus-serial's, plus a deadline around it);
 * - after a failed poll the connection is dropped and the next attempt reconnects, after an
 *   exponential backoff (initialMs, doubling, up to maxMs);
 * - after `offlineAfter` consecutive failures the device is reported offline (retained status);
 *   the first good poll reports it online again, with door / defrost state re-sent.
 */
import type { Clock } from '../../../gateway/core/clock.ts'
import { systemClock } from '../../../gateway/core/clock.ts'
import type { ReadingOutlet } from '../outlet.ts'
import { ModbusLink, type ModbusLinkOptions } from './modbusLink.ts'
import type { ModbusProfile } from './profiles.ts'
import { planReads, type Block, type BlockData } from './readPlan.ts'

export interface ModbusAdapterOptions {
  id: string
  link: ModbusLinkOptions
  profile: ModbusProfile
  outlet: ReadingOutlet
  pollMs: number
  offlineAfter: number
  backoff: { initialMs: number; maxMs: number }
  maxGap: number
  clock?: Clock
  log?: (level: 'info' | 'warn' | 'debug', msg: string) => void
}

export interface ModbusAdapterStats {
  polls: number
  failures: number
  consecutiveFailures: number
  reconnects: number
  readings: number
}

export class ModbusAdapter {
  readonly #o: ModbusAdapterOptions
  readonly #link: ModbusLink
  readonly #blocks: Block[]
  readonly #clock: Clock
  #state: 'stopped' | 'starting' | 'online' | 'offline' = 'stopped'
  #timer: ReturnType<typeof setTimeout> | undefined
  #running: Promise<void> | undefined
  #alarmKey = ''
  readonly stats: ModbusAdapterStats = { polls: 0, failures: 0, consecutiveFailures: 0, reconnects: 0, readings: 0 }

  constructor(o: ModbusAdapterOptions) {
    this.#o = o
    this.#link = new ModbusLink(o.link)
    this.#blocks = planReads(o.profile.spans(), o.maxGap)
    this.#clock = o.clock ?? systemClock
  }

  get state(): 'stopped' | 'starting' | 'online' | 'offline' {
    return this.#state
  }

  /** The planned reads of one poll (for diagnostics and tests). */
  get blocks(): readonly Block[] {
    return this.#blocks
  }

  start(): void {
    if (this.#state !== 'stopped') return
    this.#state = 'starting'
    this.#schedule(0)
  }

  async stop(): Promise<void> {
    this.#state = 'stopped'
    clearTimeout(this.#timer)
    await this.#running?.catch(() => {})
    await this.#link.close()
  }

  #schedule(ms: number): void {
    clearTimeout(this.#timer)
    if (this.#state === 'stopped') return
    this.#timer = setTimeout(() => {
      this.#running = this.#pollOnce()
    }, Math.max(0, ms))
  }

  async #pollOnce(): Promise<void> {
    const started = Date.now()
    try {
      if (!this.#link.connected) {
        if (this.stats.polls > 0 || this.stats.failures > 0) this.stats.reconnects++
        await this.#link.connect()
      }
      const data: BlockData = []
      for (const b of this.#blocks) data.push(await this.#link.read(b))
      if (this.#state === 'stopped') return
      this.#succeeded(data)
      this.#schedule(this.#o.pollMs - (Date.now() - started))
    } catch (err) {
      if (this.#state === 'stopped') return
      const delay = this.#failed(err as Error)
      await this.#link.close()
      this.#schedule(delay)
    }
  }

  #succeeded(data: BlockData): void {
    this.stats.polls++
    this.stats.consecutiveFailures = 0
    const result = this.#o.profile.interpret(this.#blocks, data, this.#clock.now())
    const alarms = result.alarms ?? []
    const alarmKey = alarms.join(',')
    if (this.#state !== 'online' || alarmKey !== this.#alarmKey) {
      if (this.#state !== 'online') this.#o.log?.('info', `${this.#o.id}: ${this.#link.where} online`)
      this.#state = 'online'
      this.#alarmKey = alarmKey
      this.#o.outlet.status({ online: true, errors: alarms.length, ...(result.alarms ? { alarms } : {}) })
    }
    for (const r of result.readings) this.#o.outlet.reading(r)
    this.stats.readings += result.readings.length
  }

  /** Counts the failure, reports offline when due, and returns the backoff before the next attempt. */
  #failed(err: Error): number {
    this.stats.failures++
    const n = ++this.stats.consecutiveFailures
    this.#o.log?.('debug', `${this.#o.id}: poll failed (${n} in a row): ${err.message}`)
    if (n >= this.#o.offlineAfter && this.#state !== 'offline') {
      this.#state = 'offline'
      this.#alarmKey = ''
      this.#o.profile.reset()
      this.#o.log?.('warn', `${this.#o.id}: ${this.#link.where} offline after ${n} failed polls: ${err.message}`)
      this.#o.outlet.status({ online: false, errors: n, reason: err.message })
    }
    const { initialMs, maxMs } = this.#o.backoff
    return Math.min(initialMs * 2 ** Math.min(n - 1, 20), maxMs)
  }
}
