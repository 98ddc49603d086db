/** What `shelfgate adapter --check` prints for a lock-board adapter. Pure. */
import type { ResolvedLockBoardConfig } from '../config.ts'

export function describeLockBoard(a: ResolvedLockBoardConfig): string[] {
  const lines: string[] = []
  a.boards.forEach((board, i) => {
    const first = i * a.locksPerBoard + 1
    const last = Math.min((i + 1) * a.locksPerBoard, a.compartments)
    if (first <= last) lines.push(`  board ${board} locks 1…${last - first + 1} → locker ${a.locker} slots ${first}…${last}`)
    else lines.push(`  board ${board}: no compartment (locker ${a.locker} has ${a.compartments})`)
  })
  lines.push(`  poll doors every ${a.pollMs} ms; unlock on cmd/locker/${a.locker}/{slot}/unlock`)
  return lines
}
