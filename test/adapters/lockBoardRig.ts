/**
 * A locker's RS485 line for the lock-board adapter tests: a socat pty pair with stable symlinks,
 * the emulated lock boards (firmware-sim) on one end, the adapter's path on the other. `unplug()`
 * kills socat (both ends vanish, like a USB adapter pulled out); `replug()` starts it again on the
 * same links. `cleanup()` stops everything and is safe to call twice; register it before anything else.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { systemClock } from '../../gateway/core/clock.ts'
import { LockBoardEmulator } from '../../firmware-sim/locker/lockBoardEmulator.ts'
import { LockBoardSim } from '../../firmware-sim/locker/lockBoardSim.ts'
import { hex } from '../../devices/locker/lockBoard/frame.ts'
import { openPtyPair, type PtyPair } from '../support/pty.ts'

export interface LockerLine {
  /** Where the adapter opens the bus. */
  port: string
  sim: LockBoardSim
  /** Every frame the boards received, as "8A 01 05 11 9F". */
  framesAtBoard(): string[]
  unplug(): Promise<void>
  replug(): Promise<void>
  cleanup(): Promise<void>
}

export async function lockerLine(opts: { boards: number[]; closeAfterMs: number | null }): Promise<LockerLine> {
  const dir = mkdtempSync(join(tmpdir(), 'shelfgate-lockboard-'))
  const links: [string, string] = [join(dir, 'gateway'), join(dir, 'boards')]
  const sim = new LockBoardSim({ clock: systemClock, boards: opts.boards, closeAfterMs: opts.closeAfterMs })
  const state: { pair?: PtyPair; emulator?: LockBoardEmulator } = {}
  const unplug = async () => {
    await state.emulator?.stop()
    state.emulator = undefined
    await state.pair?.close()
    state.pair = undefined
  }
  const replug = async () => {
    state.pair = await openPtyPair({ links })
    state.emulator = new LockBoardEmulator({ path: links[1], sim, replyDelayMs: 2 })
    await state.emulator.start()
  }
  const line: LockerLine = {
    port: links[0],
    sim,
    framesAtBoard: () => sim.received.map((f) => hex(f)),
    unplug,
    replug,
    async cleanup() {
      await unplug()
      rmSync(dir, { recursive: true, force: true })
    },
  }
  try {
    await replug()
  } catch (err) {
    await line.cleanup()
    throw err
  }
  return line
}
