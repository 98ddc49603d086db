/**
 * The serial load-cell adapter over a real socat pty pair, with the simulated HX711 board on the
 * other end. Unplugging kills socat (both pty ends vanish); replugging starts socat again on the same
 * symlinks, as udev gives a USB adapter its stable /dev/serial/by-id path again.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { SerialLoadCellConfig } from '../../devices/adapters/config.ts'
import { SerialLoadCellAdapter } from '../../devices/adapters/serialLoadCell/serialLoadCellAdapter.ts'
import { SimLane } from '../../firmware-sim/shelf/laneModel.ts'
import { laneChannel, startSerialBoard, type SerialBoard } from '../../firmware-sim/transports/serialBoard.ts'
import { openPtyPair, type PtyPair } from '../support/pty.ts'
import { CAL_L1, CAL_L2, one, until } from './fixtures.ts'
import { recorder, type Recorder } from './recorder.ts'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

/** A quiet lane (no shoppers, no spikes, no drift): 10 × 262 g of milk on a 150 g fixture. */
function quietLane(lane: string, cal: { zeroCounts: number; countsPerGram: number }, seed: number): SimLane {
  return new SimLane(
    {
      shelf: 'A1', lane, unitWeight: 262, capacity: 24, restockAt: 6, initialCount: 10, tareG: 150, itemSpread: 0,
      sensor: { ...cal, spikeChance: 0, driftG: 0 }, arrivalsPerHour: 1e-9, misplacedPerDay: 0,
    },
    seed,
  )
}

async function rig(): Promise<{ out: Recorder; adapter: SerialLoadCellAdapter; board(): SerialBoard; unplug(): Promise<void>; replug(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'shelfgate-loadcell-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  const links: [string, string] = [join(dir, 'adapter'), join(dir, 'board')]
  const lanes = [quietLane('L1', CAL_L1, 1), quietLane('L2', CAL_L2, 2)]
  const state: { pair: PtyPair; board?: SerialBoard } = { pair: await openPtyPair({ links }) }
  // Registered before anything else starts, so socat is killed even if set-up fails.
  cleanups.push(async () => {
    await state.board?.stop()
    await state.pair.close()
  })
  const plugIn = async () => {
    state.board = await startSerialBoard({ path: links[1], hz: 10, channels: [laneChannel(0, lanes[0] as SimLane), laneChannel(3, lanes[1] as SimLane)] })
  }
  await plugIn()
  const out = recorder()
  const config = one<SerialLoadCellConfig>({
    id: 'board1', kind: 'serial-loadcell', device: 'shelf-a1', port: links[0], baudRate: 115200,
    publishIntervalMs: 200, silenceMs: 600, reopen: { initialMs: 50, maxMs: 200 },
    channels: [{ channel: 0, shelf: 'A1', lane: 'L1' }, { channel: 3, shelf: 'A1', lane: 'L2' }],
  })
  const adapter = new SerialLoadCellAdapter({ config, outlet: out })
  cleanups.push(() => adapter.stop())
  adapter.start()
  return {
    out,
    adapter,
    board: () => state.board as SerialBoard,
    async unplug() {
      await state.board?.stop()
      await state.pair.close()
    },
    async replug() {
      state.pair = await openPtyPair({ links })
      await plugIn()
    },
  }
}

const grams = (raw: number, cal: { zeroCounts: number; countsPerGram: number }) => (raw - cal.zeroCounts) / cal.countsPerGram
const lane = (out: Recorder, id: string) => out.readings.flatMap((r) => (r.kind === 'shelf.weight' && r.lane === id ? [r] : []))

describe('serial load-cell board adapter', () => {
  it('publishes a raw reading per mapped lane that the lane calibration turns into the true weight', async () => {
    const { out } = await rig()
    await until(() => lane(out, 'L1').length >= 3 && lane(out, 'L2').length >= 3, 5000, 'three readings per lane')
    // 150 g fixture + 10 × 262 g; HX711 noise leaves the lowest 8 bits random (< 1 g at 420 counts/g).
    for (const r of lane(out, 'L1')) expect(grams(r.raw as number, CAL_L1)).toBeCloseTo(2770, -0.5)
    for (const r of lane(out, 'L2')) expect(grams(r.raw as number, CAL_L2)).toBeCloseTo(2770, -0.5)
    expect(lane(out, 'L1')[0]).toMatchObject({ kind: 'shelf.weight', shelf: 'A1', lane: 'L1' })
    expect(out.statuses[0]).toMatchObject({ online: true })
  })

  it('decimates the 10 Hz stream to one median per publish interval', async () => {
    const { out } = await rig()
    await until(() => lane(out, 'L1').length >= 1, 5000, 'first reading')
    const n0 = lane(out, 'L1').length
    await new Promise((r) => setTimeout(r, 1000))
    const n = lane(out, 'L1').length - n0
    // 200 ms interval: ~5 per second, not the board's 10.
    expect(n).toBeGreaterThanOrEqual(3)
    expect(n).toBeLessThanOrEqual(6)
  })

  it('counts garbage lines and unmapped channels without publishing them', async () => {
    const { out, adapter, board } = await rig()
    await until(() => out.readings.length > 0, 5000, 'readings')
    board().inject('3,12ab\r\n\x00\xff\xfe garbled\r\nERR overload ch2\r\n7,12345\r\n')
    await until(() => adapter.stats().garbage >= 3, 3000, 'garbage counted')
    // The boot banner printed before the adapter opened the port may or may not have been seen.
    expect(adapter.stats().garbage).toBeLessThanOrEqual(4)
    expect(adapter.stats().unmapped).toBe(1)
    expect(out.readings.every((r) => r.kind === 'shelf.weight' && (r.lane === 'L1' || r.lane === 'L2'))).toBe(true)
  })

  it('reports the board offline when unplugged and online again after replugging, with readings resuming', async () => {
    const { out, adapter, unplug, replug } = await rig()
    await until(() => out.lastStatus()?.online === true, 5000, 'online')
    await unplug()
    await until(() => out.lastStatus()?.online === false, 3000, 'offline after unplug')
    const during = lane(out, 'L1').length
    await new Promise((r) => setTimeout(r, 400))
    expect(lane(out, 'L1').length).toBe(during)
    await replug()
    await until(() => out.lastStatus()?.online === true, 5000, 'online after replug')
    await until(() => lane(out, 'L1').length > during, 3000, 'readings after replug')
    expect(adapter.stats().opens).toBeGreaterThan(1)
    expect(out.statuses.map((s) => s.online)).toEqual([true, false, true])
  })

  it('reports a board that stops talking as offline while the port stays open', async () => {
    const { out, board } = await rig()
    await until(() => out.lastStatus()?.online === true, 5000, 'online')
    board().silence(true)
    await until(() => out.lastStatus()?.online === false, 3000, 'offline after silence')
    expect(out.lastStatus()?.reason).toMatch(/no valid line/)
    board().silence(false)
    await until(() => out.lastStatus()?.online === true, 3000, 'online when it talks again')
  })
})
