/**
 * The RS485 driver end to end: gateway driver on one end of a socat pty pair, the simulated lock
 * boards on the other. Real serial I/O, short timeouts so each test runs in well under a second or two.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { systemClock } from '../../gateway/core/clock.ts'
import { LockBoardBus } from '../../devices/locker/lockBoard/lockBoardBus.ts'
import type { LockBoardBusEvents } from '../../devices/locker/lockBoard/lockBoardBus.ts'
import { LockBoardEmulator } from '../../firmware-sim/locker/lockBoardEmulator.ts'
import { LockBoardSim } from '../../firmware-sim/locker/lockBoardSim.ts'
import { openPtyPair } from '../support/pty.ts'
import type { PtyPair } from '../support/pty.ts'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function rig(opts: { pollIntervalMs?: number; closeAfterMs?: number | null; timeoutMs?: number; replyDelayMs?: number } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'shelfgate-locker-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  const links: [string, string] = [join(dir, 'gateway'), join(dir, 'boards')]
  const sim = new LockBoardSim({ clock: systemClock, boards: [1, 2], closeAfterMs: opts.closeAfterMs ?? 400 })
  const state: { pair: PtyPair; emulator?: LockBoardEmulator } = { pair: await openPtyPair({ links }) }
  const plugIn = async () => {
    const emulator = new LockBoardEmulator({ path: links[1], sim, replyDelayMs: opts.replyDelayMs ?? 0 })
    state.emulator = emulator
    await emulator.start()
  }
  // Registered before the emulator starts, so socat is killed even if the test fails to set up.
  cleanups.push(async () => {
    await state.emulator?.stop()
    await state.pair.close()
  })
  await plugIn()
  const bus = new LockBoardBus({
    path: links[0],
    boards: [1, 2],
    timeoutMs: opts.timeoutMs ?? 80,
    retries: 2,
    pollIntervalMs: opts.pollIntervalMs ?? 40,
    reopenInitialMs: 50,
    reopenMaxMs: 200,
  })
  cleanups.push(() => bus.stop())
  /** Pull the adapter: socat exits and both pty ends vanish. */
  const unplug = async () => {
    await state.emulator?.stop()
    await state.pair.close()
  }
  const replug = async () => {
    state.pair = await openPtyPair({ links })
    await plugIn()
  }
    const emulator = (): LockBoardEmulator => {
    if (!state.emulator) throw new Error('emulator not started')
    return state.emulator
  }
  return { sim, bus, unplug, replug, emulator }
}

function next<K extends keyof LockBoardBusEvents>(
  bus: LockBoardBus,
  event: K,
  match: (...args: LockBoardBusEvents[K]) => boolean = () => true,
  timeoutMs = 3000,
): Promise<LockBoardBusEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      bus.off(event, listener as never)
      reject(new Error(`no '${String(event)}' event within ${timeoutMs} ms`))
    }, timeoutMs)
    const listener = (...args: LockBoardBusEvents[K]) => {
      if (!match(...args)) return
      clearTimeout(timer)
      bus.off(event, listener as never)
      resolve(args)
    }
    bus.on(event, listener as never)
  })
}

describe('lock-board driver over a serial line', () => {
  it('reports every board\'s doors once online', async () => {
    const { bus } = await rig()
    const boards = [next(bus, 'doors', (d) => d.board === 1), next(bus, 'doors', (d) => d.board === 2)]
    bus.start()
    const [first, second] = await Promise.all(boards)
    expect(first?.[0].open).toEqual(new Array(24).fill(false))
    expect(second?.[0].open.length).toBe(24)
  })

  it('unlocks a compartment and reports its door opening and closing again', async () => {
    const { bus } = await rig()
    const ready = next(bus, 'doors', (d) => d.board === 2)
    bus.start()
    await ready
    const opened = next(bus, 'door', (d) => d.board === 2 && d.lock === 7 && d.open)
    await expect(bus.unlock(2, 7)).resolves.toEqual({ unlocked: true })
    await opened
    const [closed] = await next(bus, 'door', (d) => d.board === 2 && d.lock === 7 && !d.open)
    expect(closed.open).toBe(false)
  })

  it('sends one frame at a time even when many unlocks are asked for at once', async () => {
    // Boards that take 15 ms to answer: a driver that did not wait would talk over them.
    const { bus, sim, emulator } = await rig({ pollIntervalMs: 0, timeoutMs: 300, replyDelayMs: 15 })
    const online = next(bus, 'online')
    bus.start()
    await online
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((lock) => bus.unlock(1, lock)))
    expect(results.every((r) => r.unlocked)).toBe(true)
    expect(emulator().collisions).toBe(0)
    expect(sim.received.filter((f) => f[0] === 0x8a).map((f) => f[2])).toEqual([1, 2, 3, 4, 5, 6])
  })

  it('retries and still unlocks when a reply arrives with a bad checksum', async () => {
    // A generous timeout, so the only retry this test can see is the one the bad checksum caused.
    const { bus, sim } = await rig({ pollIntervalMs: 0, timeoutMs: 300 })
    const online = next(bus, 'online')
    bus.start()
    await online
    sim.corruptNextReplies(1)
    await expect(bus.unlock(1, 3)).resolves.toEqual({ unlocked: true })
    expect(bus.stats().checksumErrors).toBe(1)
    expect(bus.stats().retries).toBe(1)
  })

  it('keeps working after line noise between frames', async () => {
    const { bus, emulator } = await rig({ pollIntervalMs: 0 })
    const online = next(bus, 'online')
    bus.start()
    await online
    emulator().inject(Buffer.from([0x00, 0x8a, 0xff, 0x80, 0x13]))
    await new Promise((r) => setTimeout(r, 50))
    await expect(bus.queryAll(1)).resolves.toHaveLength(24)
  })

  it('fails an unlock with a timeout when the board stops answering, and reports the board back when it returns', async () => {
    const { bus, sim } = await rig()
    const ready = next(bus, 'doors', (d) => d.board === 1)
    bus.start()
    await ready
    sim.silence(1)
    const down = next(bus, 'board_offline', (b) => b.board === 1)
    await expect(bus.unlock(1, 2)).rejects.toMatchObject({ reason: 'timeout' })
    await down
    const up = next(bus, 'board_online', (b) => b.board === 1)
    sim.silence(1, false)
    await up
    await expect(bus.unlock(1, 2)).resolves.toEqual({ unlocked: true })
  })

  it('goes offline when the adapter is unplugged and recovers when it is plugged back in', async () => {
    const { bus, unplug, replug, sim } = await rig()
    const ready = next(bus, 'doors', (d) => d.board === 1)
    bus.start()
    await ready
    const offline = next(bus, 'offline')
    await unplug()
    const [info] = await offline
    expect(info.reason).toMatch(/closed|unplugged|error|ENOENT|EIO/i)
    expect(bus.online).toBe(false)
    await expect(bus.unlock(1, 1)).rejects.toMatchObject({ reason: 'offline' })
    // While unplugged a customer takes a parcel by hand (door forced): the driver must see it after recovery.
    sim.force(1, 9)
    const online = next(bus, 'online')
    const changed = next(bus, 'door', (d) => d.board === 1 && d.lock === 9 && d.open)
    await replug()
    await online
    await changed
    await expect(bus.unlock(1, 1)).resolves.toEqual({ unlocked: true })
    expect(bus.stats().reopenAttempts).toBeGreaterThan(1)
  })
})
