/**
 * Turns lock-board door changes into canonical locker readings, so rules, storage and Node-RED see
 * RS485 lockers exactly like MQTT ones. The wiring says which board/lock is which locker slot.
 */
import type { LockerEventReading } from '../../../gateway/contract/readings.ts'
import type { DoorChange } from './lockBoardBus.ts'

export interface BoardWiring {
  /** Locker id in the config, e.g. 'K1'. */
  locker: string
  board: number
  /** Slot number of lock 1 on this board (a 48-slot locker often has two 24-lock boards: 1 and 25). */
  firstSlot?: number
}

export function doorChangeReading(change: DoorChange, wiring: readonly BoardWiring[], device: string): LockerEventReading | undefined {
  const w = wiring.find((x) => x.board === change.board)
  if (!w) return undefined
  return {
    kind: 'locker.event',
    device,
    ts: change.at,
    locker: w.locker,
    slot: (w.firstSlot ?? 1) + change.lock - 1,
    type: change.open ? 'door_opened' : 'door_closed',
  }
}

/** The board and lock behind a locker slot, for unlock commands. */
export function lockFor(locker: string, slot: number, wiring: readonly BoardWiring[]): { board: number; lock: number } | undefined {
  for (const w of wiring) {
    if (w.locker !== locker) continue
    const lock = slot - (w.firstSlot ?? 1) + 1
    if (lock >= 1 && lock <= 24) return { board: w.board, lock }
  }
  return undefined
}
