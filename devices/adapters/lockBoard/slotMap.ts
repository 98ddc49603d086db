/**
 * Which board and lock open which compartment of a locker. Boards are listed in slot order:
 * with `boards: [1, 2]` and 24 locks per board, board 1 locks 1–24 are slots 1–24 and board 2
 * locks 1–24 are slots 25–48. Pure.
 */
export interface SlotMap {
  lockFor(slot: number): { board: number; lock: number } | undefined
  slotFor(board: number, lock: number): number | undefined
}

export function slotMap(boards: readonly number[], locksPerBoard: number, slots: number): SlotMap {
  return {
    lockFor(slot) {
      if (!Number.isInteger(slot) || slot < 1 || slot > slots) return undefined
      const board = boards[Math.floor((slot - 1) / locksPerBoard)]
      return board === undefined ? undefined : { board, lock: ((slot - 1) % locksPerBoard) + 1 }
    },
    slotFor(board, lock) {
      const i = boards.indexOf(board)
      if (i < 0 || lock < 1 || lock > locksPerBoard) return undefined
      const slot = i * locksPerBoard + lock
      return slot <= slots ? slot : undefined
    },
  }
}
