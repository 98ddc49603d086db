/**
 * The lock-board adapter over a real socat pty pair against the emulated boards, connected to a real
 * gateway broker as the locker's device (locker-k1, locker K1 with 12 compartments). Commands are
 * published on the cmd/ topic by a service client, as the lockers service does.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { MqttClient } from 'mqtt'
import { resolveAdapters } from '../../devices/adapters/config.ts'
import { runAdapters, type RunningAdapters } from '../../devices/adapters/run.ts'
import { encodeRequest, hex } from '../../devices/locker/lockBoard/frame.ts'
import { collect, eventually, startHarness, type Harness } from '../support/gatewayHarness.ts'
import { lockerLine, type LockerLine } from './lockBoardRig.ts'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {})
})

interface Rig {
  h: Harness
  line: LockerLine
  adapters: RunningAdapters
  ops: MqttClient
  seen: { topic: string; payload: string }[]
  events(slot: number): string[]
  lastStatus(): { online: boolean; reason?: string } | undefined
  unlock(slot: number, at?: number): Promise<void>
}

async function rig(opts: { boards?: number[]; locksPerBoard?: number; closeAfterMs?: number | null } = {}): Promise<Rig> {
  const boards = opts.boards ?? [1]
  // The line first, so socat is cleaned up whatever fails later.
  const line = await lockerLine({ boards, closeAfterMs: opts.closeAfterMs === undefined ? 300 : opts.closeAfterMs })
  cleanups.push(() => line.cleanup())
  const h = await startHarness()
  cleanups.push(() => h.stop())
  const ops = await h.connect('ops')
  const seen = collect(ops)
  await ops.subscribeAsync(['shelfgate/s1/locker/K1/#', 'shelfgate/s1/device/locker-k1/status'], { qos: 1 })
  const config = resolveAdapters(
    [{ id: 'k1-boards', kind: 'lock-board', device: 'locker-k1', locker: 'K1', port: line.port, boards, locksPerBoard: opts.locksPerBoard ?? 24, pollMs: 50, reopen: { initialMs: 50, maxMs: 200 } }],
    h.config,
  )
  const adapters = await runAdapters({ store: h.config, adapters: config, url: h.url, credentials: h.passwords })
  cleanups.push(() => adapters.stop())
  const statuses = () => seen.filter((m) => m.topic === 'shelfgate/s1/device/locker-k1/status').map((m) => JSON.parse(m.payload) as { online: boolean; reason?: string })
  const r: Rig = {
    h,
    line,
    adapters,
    ops,
    seen,
    events: (slot) => seen.filter((m) => m.topic === `shelfgate/s1/locker/K1/${slot}/event`).map((m) => (JSON.parse(m.payload) as { type: string }).type),
    lastStatus: () => statuses().at(-1),
    unlock: async (slot, at = Date.now()) => {
      await ops.publishAsync(`shelfgate/s1/cmd/locker/K1/${slot}/unlock`, JSON.stringify({ slot, at, by: 'code' }), { qos: 1 })
    },
  }
  await eventually(() => r.lastStatus()?.online === true, 5000, 'adapter online')
  // The adapter subscribes when it connects; give the SUBACK a moment to land before commanding.
  await new Promise((res) => setTimeout(res, 100))
  return r
}

const unlockFrame = (board: number, lock: number) => hex(encodeRequest({ type: 'unlock', board, lock }))

describe('lock-board adapter over RS485 (pty + emulated boards) and MQTT', () => {
  it('turns an unlock command into the unlock frame at the board, then reports unlocked, door_opened and door_closed', async () => {
    const r = await rig()
    await r.unlock(5)
    await eventually(() => r.line.framesAtBoard().includes(unlockFrame(1, 5)), 5000, 'unlock frame 8A 01 05 11 at the board')
    expect(unlockFrame(1, 5)).toBe('8A 01 05 11 9F')
    await eventually(() => r.events(5).includes('door_closed'), 5000, 'door closed again')
    expect(r.events(5)).toEqual(['unlocked', 'door_opened', 'door_closed'])
    // No other compartment moved.
    expect(r.seen.filter((m) => m.topic.endsWith('/event') && !m.topic.includes('/K1/5/'))).toEqual([])
  })

  it('maps a slot to its board and lock across several boards on one bus', async () => {
    // 8 locks per board: slot 10 is board 2, lock 2.
    const r = await rig({ boards: [1, 2], locksPerBoard: 8 })
    await r.unlock(10)
    await eventually(() => r.events(10).includes('door_opened'), 5000, 'door 10 opened')
    const unlocks = r.line.framesAtBoard().filter((f) => f.startsWith('8A'))
    expect(unlocks).toEqual([unlockFrame(2, 2)])
  })

  it('reports unlock_failed when the board says the lock did not release', async () => {
    const r = await rig()
    r.line.sim.jam(1, 3)
    await r.unlock(3)
    await eventually(() => r.events(3).length > 0, 5000, 'an event for slot 3')
    await new Promise((res) => setTimeout(res, 200)) // a few polls: the door must stay shut
    expect(r.events(3)).toEqual(['unlock_failed'])
    expect(r.line.framesAtBoard()).toContain(unlockFrame(1, 3))
  })

  it('does not carry out a stale unlock command', async () => {
    const r = await rig()
    await r.unlock(4, Date.now() - 60_000)
    await eventually(() => r.events(4).length > 0, 5000, 'an event for slot 4')
    expect(r.events(4)).toEqual(['unlock_failed'])
    expect(r.line.framesAtBoard().filter((f) => f.startsWith('8A'))).toEqual([])
  })

  it('reports the locker offline when the RS485 adapter is unplugged and online again after replugging, and unlocks again', async () => {
    const r = await rig()
    await r.line.unplug()
    await eventually(() => r.lastStatus()?.online === false, 5000, 'offline status after unplug')
    expect(r.lastStatus()?.reason).toBeTruthy()
    await r.line.replug()
    await eventually(() => r.lastStatus()?.online === true, 5000, 'online status after replug')
    await r.unlock(6)
    await eventually(() => r.events(6).includes('door_opened'), 5000, 'door 6 opened after replug')
    const online = r.seen.filter((m) => m.topic.endsWith('/status')).map((m) => (JSON.parse(m.payload) as { online: boolean }).online)
    expect(online).toEqual([true, false, true])
  })
})
