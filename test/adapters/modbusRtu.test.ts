/**
 * Modbus RTU over a real socat pty pair: the adapter opens one end as it would a USB–RS485 adapter,
 * the simulated controller (modbus-serial ServerSerial) answers on the other.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ResolvedColdConfig } from '../../devices/adapters/config.ts'
import { modbusAdapterFrom } from '../../devices/adapters/modbus/fromConfig.ts'
import { startModbusRtuSim, type ModbusRtuSim } from '../../firmware-sim/transports/modbusRtuServer.ts'
import { putDixellXr } from '../../firmware-sim/transports/registerImage.ts'
import { openPtyPair, type PtyPair } from '../support/pty.ts'
import { one, until } from './fixtures.ts'
import { recorder } from './recorder.ts'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

describe('Modbus RTU refrigeration controller over a pty', () => {
  it('reads the controller on unit 3 and reports it offline when the line goes dead, then recovers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shelfgate-rtu-'))
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    const links: [string, string] = [join(dir, 'adapter'), join(dir, 'controller')]
    const state: { pair: PtyPair; sim?: ModbusRtuSim } = { pair: await openPtyPair({ links }) }
    cleanups.push(async () => {
      await state.sim?.close()
      await state.pair.close()
    })
    state.sim = await startModbusRtuSim({ path: links[1], unitId: 3 })
    putDixellXr(state.sim.image, { airC: -19.2, productC: -19, probeC: -19.2, doorOpen: false, defrostActive: false, compressorOn: false })
    const out = recorder()
    const adapter = modbusAdapterFrom(
      one<ResolvedColdConfig>({
        id: 'z1', kind: 'modbus-cold', device: 'cold-f1', coldUnit: 'F1', port: links[0], unit: 3, baudRate: 9600,
        pollMs: 100, timeoutMs: 300, offlineAfter: 2, backoff: { initialMs: 50, maxMs: 200 }, map: 'dixell-xr',
      }),
      out,
    )
    cleanups.push(() => adapter.stop())
    adapter.start()
    await until(() => out.readings.some((r) => r.kind === 'cold.temp'), 5000, 'a temperature over RTU')
    expect(out.readings.find((r) => r.kind === 'cold.temp')).toMatchObject({ unit: 'F1', probe: 'air', c: -19.2 })

    // Unplug: socat exits, the adapter's port is gone.
    await state.sim.close()
    await state.pair.close()
    await until(() => out.lastStatus()?.online === false, 5000, 'offline')
    state.pair = await openPtyPair({ links })
    state.sim = await startModbusRtuSim({ path: links[1], unitId: 3 })
    putDixellXr(state.sim.image, { airC: -18.8, productC: -19, probeC: -18.8, doorOpen: false, defrostActive: false, compressorOn: true })
    await until(() => out.lastStatus()?.online === true && out.readings.some((r) => r.kind === 'cold.temp' && r.c === -18.8), 8000, 'recovery after replug')
  })
})
