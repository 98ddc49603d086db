/**
 * A locker's RS485 lock boards as an MQTT device of the gateway (docs/adapters.md, docs/lockers.md).
 *
 * - `…/cmd/locker/{locker}/{slot}/unlock` → unlock frame to the slot's board/lock (one frame in flight
 *   per bus, timeouts and retries are the driver's); the board's answer → `unlocked`, or
 *   `unlock_failed` when it reports the lock did not release, the bus is down, the board does not
 *   answer, the slot has no lock, or the command is older than `maxCommandAgeMs`;
 * - door polling (query-all) → `door_opened` / `door_closed` on every change; at start, doors found
 *   open are reported open (the gateway assumes closed);
 * - the bus up / down (USB adapter unplugged) → device status online / offline; boards that stop
 *   answering while the bus is up are counted in `errors`.
 */
import type { LockerEventType } from '../../../gateway/contract/payloads.ts'
import { systemClock, type Clock } from '../../../gateway/core/clock.ts'
import { LockBoardBus, type LockBoardBusOptions } from '../../locker/lockBoard/lockBoardBus.ts'
import type { ResolvedLockBoardConfig } from '../config.ts'
import type { HardwareStatus } from '../outlet.ts'
import type { LockerLink, UnlockCommand } from './lockerLink.ts'
import { slotMap, type SlotMap } from './slotMap.ts'

export interface LockBoardAdapterOptions {
  config: ResolvedLockBoardConfig
  link: LockerLink
  clock?: Clock
  log?: (level: 'info' | 'warn' | 'debug', msg: string) => void
}

export interface LockBoardAdapterStats {
  unlocks: number
  unlocked: number
  unlockFailed: number
  staleCommands: number
  doorEvents: number
  /** Door changes at locks that map to no compartment. */
  unmapped: number
  [driver: string]: number
}

export class LockBoardAdapter {
  readonly #c: ResolvedLockBoardConfig
  readonly #link: LockerLink
  readonly #clock: Clock
  readonly #log: NonNullable<LockBoardAdapterOptions['log']>
  readonly #map: SlotMap
  readonly #bus: LockBoardBus
  readonly #boardsDown = new Map<number, string>()
  #online = false
  #stopped = false
  readonly #stats = { unlocks: 0, unlocked: 0, unlockFailed: 0, staleCommands: 0, doorEvents: 0, unmapped: 0 }

  constructor(o: LockBoardAdapterOptions) {
    this.#c = o.config
    this.#link = o.link
    this.#clock = o.clock ?? systemClock
    this.#log = o.log ?? (() => {})
    this.#map = slotMap(o.config.boards, o.config.locksPerBoard, o.config.compartments)
    const busOpts: LockBoardBusOptions = {
      path: o.config.port,
      baudRate: o.config.baudRate,
      boards: o.config.boards,
      timeoutMs: o.config.timeoutMs,
      retries: o.config.retries,
      pollIntervalMs: o.config.pollMs,
      reopenInitialMs: o.config.reopen.initialMs,
      reopenMaxMs: o.config.reopen.maxMs,
      clock: this.#clock,
    }
    this.#bus = new LockBoardBus(busOpts)
    this.#bus.on('online', () => {
      this.#online = true
      this.#log('info', `${this.#c.id}: bus ${this.#c.port} online`)
      this.#sendStatus()
    })
    this.#bus.on('offline', ({ reason }) => {
      this.#online = false
      this.#boardsDown.clear()
      this.#log('warn', `${this.#c.id}: bus offline: ${reason}`)
      this.#link.status({ online: false, reason })
    })
    this.#bus.on('board_offline', ({ board, reason }) => {
      this.#boardsDown.set(board, reason)
      this.#log('warn', `${this.#c.id}: board ${board} not answering: ${reason}`)
      this.#sendStatus()
    })
    this.#bus.on('board_online', ({ board }) => {
      this.#boardsDown.delete(board)
      this.#sendStatus()
    })
    this.#bus.on('doors', ({ board, open, at }) => {
      open.forEach((isOpen, i) => {
        if (isOpen) this.#door(board, i + 1, true, at)
      })
    })
    this.#bus.on('door', ({ board, lock, open, at }) => this.#door(board, lock, open, at))
    this.#link.onUnlock((cmd) => void this.#unlock(cmd))
  }

  get online(): boolean {
    return this.#online
  }

  start(): void {
    this.#bus.start()
  }

  async stop(): Promise<void> {
    this.#stopped = true
    await this.#bus.stop()
  }

  stats(): LockBoardAdapterStats {
    return { ...this.#bus.stats(), ...this.#stats }
  }

  #sendStatus(): void {
    if (!this.#online) return
    const s: HardwareStatus = { online: true, errors: this.#boardsDown.size }
    if (this.#boardsDown.size) s.reason = [...this.#boardsDown].map(([b, r]) => `board ${b}: ${r}`).join('; ')
    this.#link.status(s)
  }

  #door(board: number, lock: number, open: boolean, at: number): void {
    const slot = this.#map.slotFor(board, lock)
    if (slot === undefined) {
      this.#stats.unmapped++
      return
    }
    this.#stats.doorEvents++
    this.#link.event(slot, open ? 'door_opened' : 'door_closed', at)
  }

  #event(slot: number, type: LockerEventType): void {
    if (type === 'unlocked') this.#stats.unlocked++
    if (type === 'unlock_failed') this.#stats.unlockFailed++
    this.#link.event(slot, type, this.#clock.now())
  }

  async #unlock(cmd: UnlockCommand): Promise<void> {
    if (this.#stopped) return
    this.#stats.unlocks++
    const now = this.#clock.now()
    if (cmd.at !== undefined && now - cmd.at > this.#c.maxCommandAgeMs) {
      this.#stats.staleCommands++
      this.#log('warn', `${this.#c.id}: unlock of slot ${cmd.slot} not carried out: the command is ${now - cmd.at} ms old`)
      this.#event(cmd.slot, 'unlock_failed')
      return
    }
    const target = this.#map.lockFor(cmd.slot)
    if (!target) {
      this.#log('warn', `${this.#c.id}: unlock of slot ${cmd.slot}: no board/lock is wired to it`)
      this.#event(cmd.slot, 'unlock_failed')
      return
    }
    try {
      const r = await this.#bus.unlock(target.board, target.lock)
      this.#log('info', `${this.#c.id}: slot ${cmd.slot} (board ${target.board} lock ${target.lock}) ${r.unlocked ? 'unlocked' : 'did not release'}${cmd.by ? ` for ${cmd.by}` : ''}`)
      this.#event(cmd.slot, r.unlocked ? 'unlocked' : 'unlock_failed')
    } catch (err) {
      if (this.#stopped) return
      this.#log('warn', `${this.#c.id}: unlock of slot ${cmd.slot} failed: ${(err as Error).message}`)
      this.#event(cmd.slot, 'unlock_failed')
    }
  }
}
