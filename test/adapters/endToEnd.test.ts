/**
 * Adapters against a real gateway: each adapter logs in over MQTT as its device, and the gateway
 * accepts its readings (authentication, ACL, validation, durable write) like any MQTT device's.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Reading } from '../../gateway/contract/readings.ts'
import { resolveAdapters } from '../../devices/adapters/config.ts'
import { runAdapters, type RunningAdapters } from '../../devices/adapters/run.ts'
import { SimLane } from '../../firmware-sim/shelf/laneModel.ts'
import { startModbusTcpSim, type ModbusTcpSim } from '../../firmware-sim/transports/modbusTcpServer.ts'
import { putDixellXr } from '../../firmware-sim/transports/registerImage.ts'
import { laneChannel, startSerialBoard } from '../../firmware-sim/transports/serialBoard.ts'
import { startHarness, type Harness } from '../support/gatewayHarness.ts'
import { openPtyPair } from '../support/pty.ts'
import { adapterStore, CAL_L1, until } from './fixtures.ts'

let h: Harness
const seen: Reading[] = []
const cleanups: (() => Promise<void> | void)[] = []

beforeAll(async () => {
  h = await startHarness()
  h.gw.bus.on('reading', seen, (r) => void seen.push(r))
})
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
  seen.length = 0
})
afterAll(async () => {
  await h?.stop()
})

async function run(adapters: unknown[]): Promise<RunningAdapters> {
  const running = await runAdapters({ store: adapterStore, adapters: resolveAdapters(adapters, adapterStore), url: h.url, credentials: h.passwords })
  cleanups.push(() => running.stop())
  return running
}

async function controller(): Promise<ModbusTcpSim> {
  const sim = await startModbusTcpSim()
  cleanups.push(() => sim.close())
  putDixellXr(sim.image, { airC: 4.2, productC: 4, probeC: 4.2, doorOpen: true, defrostActive: false, compressorOn: false })
  return sim
}

const coldAdapter = (port: number) => ({
  id: 'f1-ctl', kind: 'modbus-cold', device: 'cold-f1', coldUnit: 'F1', tcp: `127.0.0.1:${port}`,
  pollMs: 100, timeoutMs: 150, offlineAfter: 2, backoff: { initialMs: 50, maxMs: 200 }, map: 'dixell-xr',
})

describe('adapters → MQTT → gateway', () => {
  it('a Modbus controller’s temperature and door arrive as readings of cold unit F1 from device cold-f1', async () => {
    const sim = await controller()
    await run([coldAdapter(sim.port)])
    await until(() => ['cold.temp', 'cold.door', 'device.status'].every((k) => seen.some((r) => r.kind === k)), 5000, 'cold readings and status at the gateway')
    expect(seen.find((r) => r.kind === 'cold.temp' && r.probe === 'air')).toMatchObject({ device: 'cold-f1', unit: 'F1', c: 4.2 })
    expect(seen.find((r) => r.kind === 'cold.door')).toMatchObject({ device: 'cold-f1', unit: 'F1', open: true })
    expect(seen.find((r) => r.kind === 'device.status')).toMatchObject({ device: 'cold-f1', online: true })
  })

  it('a serial board’s lane arrives as a raw shelf.weight reading of A1/L1 from device shelf-a1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shelfgate-e2e-'))
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    const links: [string, string] = [join(dir, 'adapter'), join(dir, 'board')]
    const pair = await openPtyPair({ links })
    cleanups.push(() => pair.close())
    const lane = new SimLane(
      { shelf: 'A1', lane: 'L1', unitWeight: 262, capacity: 24, restockAt: 6, initialCount: 5, tareG: 100, itemSpread: 0, sensor: { ...CAL_L1, spikeChance: 0, driftG: 0 }, arrivalsPerHour: 1e-9, misplacedPerDay: 0 },
      3,
    )
    const board = await startSerialBoard({ path: links[1], channels: [laneChannel(1, lane)] })
    cleanups.push(() => board.stop())
    await run([{ id: 'board1', kind: 'serial-loadcell', device: 'shelf-a1', port: links[0], publishIntervalMs: 200, channels: [{ channel: 1, shelf: 'A1', lane: 'L1' }] }])
    await until(() => seen.some((r) => r.kind === 'shelf.weight'), 5000, 'a weight at the gateway')
    const w = seen.find((r) => r.kind === 'shelf.weight')
    expect(w).toMatchObject({ device: 'shelf-a1', shelf: 'A1', lane: 'L1' })
    expect(w?.kind === 'shelf.weight' && w.g === undefined && typeof w.raw === 'number').toBe(true)
    expect(((w as { raw: number }).raw - CAL_L1.zeroCounts) / CAL_L1.countsPerGram).toBeCloseTo(1410, -0.5)
    expect(typeof w?.seq).toBe('number')
  })

  it('the gateway sees the controller go offline and come back as device status readings', async () => {
    const sim = await controller()
    await run([coldAdapter(sim.port)])
    const statuses = () => seen.flatMap((r) => (r.kind === 'device.status' && r.device === 'cold-f1' ? [r.online] : []))
    await until(() => statuses().includes(true), 5000, 'online status')
    sim.mute(true)
    await until(() => statuses().at(-1) === false, 5000, 'offline status')
    sim.mute(false)
    await until(() => statuses().at(-1) === true, 5000, 'online status again')
    // From the first "online": the previous test's "adapter stopped" status may land just after the reset.
    expect(statuses().slice(statuses().indexOf(true))).toEqual([true, false, true])
  })
})
