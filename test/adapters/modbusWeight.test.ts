import { afterEach, describe, expect, it } from 'vitest'
import type { ModbusWeightConfig } from '../../devices/adapters/config.ts'
import { modbusAdapterFrom } from '../../devices/adapters/modbus/fromConfig.ts'
import type { ModbusAdapter } from '../../devices/adapters/modbus/modbusAdapter.ts'
import { startModbusTcpSim, type ModbusTcpSim } from '../../firmware-sim/transports/modbusTcpServer.ts'
import { putValue } from '../../firmware-sim/transports/registerImage.ts'
import { one, until } from './fixtures.ts'
import { recorder, type Recorder } from './recorder.ts'

let sim: ModbusTcpSim | undefined
let adapter: ModbusAdapter | undefined

afterEach(async () => {
  await adapter?.stop()
  await sim?.close()
  adapter = undefined
  sim = undefined
})

/** A two-lane transmitter: L1 as int32 tenths of a gram, word-swapped; L2 as float32 grams in input registers. */
async function start(): Promise<{ out: Recorder; sim: ModbusTcpSim }> {
  sim = await startModbusTcpSim()
  putValue(sim.image, 0, 12345.6, { type: 'int32', wordOrder: 'low-first', scale: 0.1 })
  putValue(sim.image, 10, 1523.25, { type: 'float32', table: 'input' })
  const cfg = one<ModbusWeightConfig>({
    id: 'wt1', kind: 'modbus-weight', device: 'shelf-a1', tcp: `127.0.0.1:${sim.port}`,
    pollMs: 50, timeoutMs: 150, offlineAfter: 2, backoff: { initialMs: 50, maxMs: 200 },
    lanes: [
      { shelf: 'A1', lane: 'L1', address: 0, type: 'int32', wordOrder: 'low-first', scale: 0.1 },
      { shelf: 'A1', lane: 'L2', address: 10, table: 'input', type: 'float32' },
    ],
  })
  const out = recorder()
  adapter = modbusAdapterFrom(cfg, out)
  adapter.start()
  return { out, sim }
}

const weights = (out: Recorder, lane: string) => out.readings.filter((r) => r.kind === 'shelf.weight' && r.lane === lane)

describe('Modbus TCP weight transmitter', () => {
  it('publishes each lane in grams, decoded with its type, word order and scale', async () => {
    const { out } = await start()
    await until(() => weights(out, 'L1').length > 0 && weights(out, 'L2').length > 0, 3000, 'a reading of both lanes')
    expect(weights(out, 'L1')[0]).toMatchObject({ kind: 'shelf.weight', shelf: 'A1', lane: 'L1', g: 12345.6 })
    expect(weights(out, 'L2')[0]).toMatchObject({ kind: 'shelf.weight', shelf: 'A1', lane: 'L2', g: 1523.25 })
    expect(out.statuses[0]).toEqual({ online: true, errors: 0 })
  })

  it('polls at the configured rate and follows a changing weight', async () => {
    const { out, sim } = await start()
    await until(() => weights(out, 'L1').length > 0, 3000, 'first reading')
    putValue(sim.image, 0, -250.5, { type: 'int32', wordOrder: 'low-first', scale: 0.1 })
    await until(() => weights(out, 'L1').some((r) => r.kind === 'shelf.weight' && r.g === -250.5), 3000, 'the new weight')
    const t0 = Date.now()
    const n0 = weights(out, 'L1').length
    await new Promise((r) => setTimeout(r, 500))
    const perSec = ((weights(out, 'L1').length - n0) * 1000) / (Date.now() - t0)
    // 50 ms period: about 20/s; allow for timer jitter on a loaded CI machine.
    expect(perSec).toBeGreaterThan(8)
    expect(perSec).toBeLessThan(25)
  })

  it('reports the transmitter offline when it stops answering, and online again when it answers', async () => {
    const { out, sim } = await start()
    await until(() => out.lastStatus()?.online === true, 3000, 'online')
    sim.mute(true)
    await until(() => out.lastStatus()?.online === false, 3000, 'offline after timeouts')
    expect(out.lastStatus()).toMatchObject({ online: false, errors: 2, reason: 'Timed out' })
    const during = out.readings.length
    await new Promise((r) => setTimeout(r, 300))
    expect(out.readings.length).toBe(during)
    sim.mute(false)
    await until(() => out.lastStatus()?.online === true, 3000, 'online again')
    await until(() => out.readings.length > during, 3000, 'readings again')
    expect(adapter?.stats.reconnects).toBeGreaterThan(0)
  })

  it('reconnects after the device drops the TCP connection and comes back on the same port', async () => {
    const { out, sim } = await start()
    await until(() => out.lastStatus()?.online === true, 3000, 'online')
    await sim.close()
    await until(() => out.lastStatus()?.online === false, 3000, 'offline after the connection is gone')
    await sim.restart()
    const before = out.readings.length
    await until(() => out.lastStatus()?.online === true && out.readings.length > before, 5000, 'recovery')
  })
})
