/**
 * Driver for lock boards on one RS485 bus (a USB–RS485 adapter), over `serialport`.
 *
 * - one frame in flight per bus (TransactionQueue), per-request timeout and retries;
 * - polls every board's doors with query-all and emits a 'door' event for each door that changed;
 * - an unplugged adapter or a dead line makes the bus 'offline': pending requests fail at once,
 *   the port is reopened with exponential backoff, and polling resumes when it comes back.
 *
 * Boards that stop answering while the bus is fine are reported per board ('board_offline').
 */
import { EventEmitter } from 'node:events'
import { SerialPort } from 'serialport'
import type { Clock } from '../../../gateway/core/clock.ts'
import { systemClock } from '../../../gateway/core/clock.ts'
import { DOORS_PER_BOARD } from './frame.ts'
import { FrameParser } from './frameParser.ts'
import { BusError, TransactionQueue } from './transactions.ts'

export interface LockBoardBusOptions {
  path: string
  /** 9600 8N1 for this board family. */
  baudRate?: number
  /** Board addresses on this bus (DIP switch settings). */
  boards: number[]
  timeoutMs?: number
  retries?: number
  /** Door polling period; 0 turns periodic polling off (one round still runs when the port opens). */
  pollIntervalMs?: number
  reopenInitialMs?: number
  reopenMaxMs?: number
  clock?: Clock
}

export interface DoorChange {
  board: number
  lock: number
  open: boolean
  at: number
}

export interface LockBoardBusEvents {
  /** A door changed between two polls. */
  door: [DoorChange]
  /** First full picture of a board (after start): every door's state. */
  doors: [{ board: number; open: boolean[]; at: number }]
  online: []
  offline: [{ reason: string; at: number }]
  board_offline: [{ board: number; reason: string; at: number }]
  board_online: [{ board: number; at: number }]
}

export class LockBoardBus extends EventEmitter<LockBoardBusEvents> {
  readonly #o: Required<Omit<LockBoardBusOptions, 'clock'>> & { clock: Clock }
  readonly #parser = new FrameParser('replies')
  readonly #tx: TransactionQueue
  #port: SerialPort | undefined
  #state: 'stopped' | 'starting' | 'online' | 'offline' = 'stopped'
  #reopenTimer: ReturnType<typeof setTimeout> | undefined
  #pollTimer: ReturnType<typeof setTimeout> | undefined
  #backoffMs: number
  #reopenAttempts = 0
  readonly #doors = new Map<number, boolean[]>()
  readonly #boardDown = new Set<number>()

  constructor(opts: LockBoardBusOptions) {
    super()
    this.#o = {
      baudRate: 9600,
      timeoutMs: 300,
      retries: 2,
      pollIntervalMs: 500,
      reopenInitialMs: 250,
      reopenMaxMs: 10_000,
      clock: systemClock,
      ...opts,
    }
    this.#backoffMs = this.#o.reopenInitialMs
    this.#tx = new TransactionQueue({
      parser: this.#parser,
      timeoutMs: this.#o.timeoutMs,
      retries: this.#o.retries,
      send: (frame) => this.#write(frame),
    })
  }

  get online(): boolean {
    return this.#state === 'online'
  }

  /** Last polled state of a board's doors (index 0 = lock 1), if known. */
  doors(board: number): readonly boolean[] | undefined {
    return this.#doors.get(board)
  }

  stats(): Record<string, number> {
    return { ...this.#parser.stats, ...this.#tx.stats, reopenAttempts: this.#reopenAttempts }
  }

  start(): void {
    if (this.#state !== 'stopped') return
    this.#state = 'starting'
    this.#open()
  }

  async stop(): Promise<void> {
    this.#state = 'stopped'
    clearTimeout(this.#reopenTimer)
    clearTimeout(this.#pollTimer)
    this.#tx.failAll('stopped', 'lock-board driver stopped')
    this.#tx.setOnline(false)
    const port = this.#port
    this.#port = undefined
    if (port) {
      port.removeAllListeners()
      port.on('error', () => {})
      if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()))
    }
  }

  /** Releases one lock. Resolves with what the board reported; rejects with a BusError. */
  async unlock(board: number, lock: number): Promise<{ unlocked: boolean }> {
    const r = await this.#tx.request({ type: 'unlock', board, lock }, (r) => r.type === 'unlock' && r.board === board && r.lock === lock)
    return { unlocked: r.type === 'unlock' && r.unlocked }
  }

  async queryDoor(board: number, lock: number): Promise<boolean> {
    const r = await this.#tx.request({ type: 'query_door', board, lock }, (r) => r.type === 'door' && r.board === board && r.lock === lock)
    return r.type === 'door' && r.open
  }

  async queryAll(board: number): Promise<boolean[]> {
    const r = await this.#tx.request({ type: 'query_all', board }, (r) => r.type === 'doors' && r.board === board)
    return r.type === 'doors' ? r.open : []
  }

  /** One polling round over all boards; door events are emitted as they are found. */
  async pollOnce(): Promise<void> {
    for (const board of this.#o.boards) {
      if (this.#state !== 'online') return
      try {
        const open = await this.queryAll(board)
        this.#boardAnswered(board)
        this.#compare(board, open)
      } catch (err) {
        if (err instanceof BusError && (err.reason === 'timeout' || err.reason === 'checksum')) this.#boardSilent(board, err.message)
        // 'offline' / 'stopped': the port handler already reported it.
      }
    }
  }

  #compare(board: number, open: boolean[]): void {
    const at = this.#o.clock.now()
    const before = this.#doors.get(board)
    this.#doors.set(board, open)
    if (!before) {
      this.emit('doors', { board, open: [...open], at })
      return
    }
    for (let i = 0; i < DOORS_PER_BOARD; i++) {
      if (before[i] !== open[i]) this.emit('door', { board, lock: i + 1, open: open[i] === true, at })
    }
  }

  #boardAnswered(board: number): void {
    if (this.#boardDown.delete(board)) this.emit('board_online', { board, at: this.#o.clock.now() })
  }

  #boardSilent(board: number, reason: string): void {
    if (this.#boardDown.has(board)) return
    this.#boardDown.add(board)
    this.emit('board_offline', { board, reason, at: this.#o.clock.now() })
  }

  #schedulePoll(): void {
    clearTimeout(this.#pollTimer)
    if (this.#o.pollIntervalMs <= 0 || this.#state !== 'online') return
    this.#pollTimer = setTimeout(() => {
      void this.pollOnce().finally(() => this.#schedulePoll())
    }, this.#o.pollIntervalMs)
  }

  #open(): void {
    if (this.#state === 'stopped') return
    this.#reopenAttempts++
    const port = new SerialPort({ path: this.#o.path, baudRate: this.#o.baudRate, autoOpen: false })
    this.#port = port
    port.on('data', (chunk: Buffer) => {
      for (const ev of this.#parser.push(chunk)) this.#tx.onParse(ev)
    })
    port.on('close', () => this.#lost(port, 'port closed (adapter unplugged?)'))
    port.on('error', (err: Error) => this.#lost(port, err.message))
    port.open((err) => {
      if (this.#port !== port) return
      if (err) return this.#lost(port, `cannot open ${this.#o.path}: ${err.message}`)
      this.#state = 'online'
      this.#backoffMs = this.#o.reopenInitialMs
      this.#tx.setOnline(true)
      this.emit('online')
      // Poll right away so door state is known as soon as the bus is back.
      void this.pollOnce().finally(() => this.#schedulePoll())
    })
  }

  #lost(port: SerialPort, reason: string): void {
    if (this.#port !== port || this.#state === 'stopped') return
    this.#port = undefined
    port.removeAllListeners()
    port.on('error', () => {})
    if (port.isOpen) port.close(() => {})
    clearTimeout(this.#pollTimer)
    const wasUp = this.#state === 'online' || this.#state === 'starting'
    this.#state = 'offline'
    this.#tx.setOnline(false)
    if (wasUp) this.emit('offline', { reason, at: this.#o.clock.now() })
    const wait = this.#backoffMs
    this.#backoffMs = Math.min(this.#backoffMs * 2, this.#o.reopenMaxMs)
    this.#reopenTimer = setTimeout(() => this.#open(), wait)
  }

  #write(frame: Buffer): void {
    const port = this.#port
    if (!port) return
    port.write(frame, (err) => {
      if (err) this.#lost(port, `write failed: ${err.message}`)
    })
  }
}
