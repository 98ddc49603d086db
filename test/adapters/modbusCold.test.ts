import { afterEach, describe, expect, it } from 'vitest'
import type { ResolvedColdConfig } from '../../devices/adapters/config.ts'
import { modbusAdapterFrom } from '../../devices/adapters/modbus/fromConfig.ts'
import type { ModbusAdapter } from '../../devices/adapters/modbus/modbusAdapter.ts'
import { chilledFridge, FridgeSim, type FridgeState } from '../../firmware-sim/cold/fridge.ts'
import { startModbusTcpSim, type ModbusTcpSim } from '../../firmware-sim/transports/modbusTcpServer.ts'
import { putDixellXr, putValue } from '../../firmware-sim/transports/registerImage.ts'
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

type Controller = FridgeState & { probeC: number | null; highAlarm?: boolean }
const steady: Controller = { airC: 3.7, productC: 3.5, probeC: 3.7, doorOpen: false, defrostActive: false, compressorOn: true }

async function start(state: Controller, map: unknown = 'dixell-xr'): Promise<Recorder> {
  const s = await startModbusTcpSim()
  sim = s
  putDixellXr(s.image, state)
  const out = recorder()
  adapter = modbusAdapterFrom(
    one<ResolvedColdConfig>({
      id: 'f1', kind: 'modbus-cold', device: 'cold-f1', coldUnit: 'F1', tcp: `127.0.0.1:${s.port}`,
      pollMs: 50, timeoutMs: 150, offlineAfter: 2, backoff: { initialMs: 50, maxMs: 200 }, map,
    }),
    out,
  )
  adapter.start()
  return out
}

const of = (out: Recorder, kind: string) => out.readings.filter((r) => r.kind === kind)

describe('Modbus refrigeration controller (dixell-xr map over TCP)', () => {
  it('publishes the air and evaporator probes in °C from tenths of a degree', async () => {
    const out = await start({ ...steady, airC: -18.5, probeC: -18.5, compressorOn: true })
    await until(() => of(out, 'cold.temp').length >= 2, 3000, 'temperatures')
    const [air, evap] = of(out, 'cold.temp')
    expect(air).toMatchObject({ unit: 'F1', probe: 'air', c: -18.5 })
    expect(evap).toMatchObject({ unit: 'F1', probe: 'evaporator', c: -26.5 })
  })

  it('reports door and defrost when they change, not on every poll', async () => {
    const out = await start({ ...steady, doorOpen: true })
    await until(() => of(out, 'cold.temp').length >= 10, 3000, 'several polls')
    expect(of(out, 'cold.door')).toMatchObject([{ open: true }])
    expect(of(out, 'cold.defrost')).toMatchObject([{ active: false }])
    putDixellXr(sim!.image, { ...steady, doorOpen: false, defrostActive: true })
    await until(() => of(out, 'cold.defrost').length === 2, 3000, 'defrost start')
    expect(of(out, 'cold.door')).toMatchObject([{ open: true }, { open: false }])
    expect(of(out, 'cold.defrost')).toMatchObject([{ active: false }, { active: true }])
  })

  it('puts active alarm bits in the device status', async () => {
    const out = await start({ ...steady, highAlarm: true })
    await until(() => out.statuses.length > 0, 3000, 'a status')
    expect(out.statuses[0]).toEqual({ online: true, errors: 1, alarms: ['HA'] })
    putDixellXr(sim!.image, steady)
    await until(() => out.statuses.length > 1, 3000, 'the alarm clearing')
    expect(out.statuses[1]).toEqual({ online: true, errors: 0, alarms: [] })
  })

  it('skips a probe that reads the fault value (−32768) instead of reporting −3276.8 °C', async () => {
    const out = await start({ ...steady, probeC: null })
    await until(() => of(out, 'cold.temp').length >= 3, 3000, 'evaporator readings')
    expect(of(out, 'cold.temp').every((r) => r.kind === 'cold.temp' && r.probe === 'evaporator')).toBe(true)
  })

  it('reads a custom map: float32 word-swapped input register, door from a discrete input, defrost from a coil', async () => {
    const s = await startModbusTcpSim()
    sim = s
    putValue(s.image, 4, 4.25, { type: 'float32', wordOrder: 'low-first', table: 'input' })
    s.image.discrete.set(7, false) // contact closed = 0 here; inverted below it would be "open"
    s.image.coils.set(2, true)
    const out = recorder()
    adapter = modbusAdapterFrom(
      one<ResolvedColdConfig>({
        id: 'f1', kind: 'modbus-cold', device: 'cold-f1', coldUnit: 'F1', tcp: `127.0.0.1:${s.port}`, pollMs: 50, timeoutMs: 150,
        map: {
          temps: [{ probe: 'product', address: 4, table: 'input', type: 'float32', wordOrder: 'low-first' }],
          door: { source: 'discrete', address: 7, invert: true },
          defrost: { source: 'coil', address: 2 },
        },
      }),
      out,
    )
    adapter.start()
    await until(() => of(out, 'cold.temp').length > 0 && of(out, 'cold.defrost').length > 0, 3000, 'readings')
    expect(of(out, 'cold.temp')[0]).toMatchObject({ probe: 'product', c: 4.25 })
    expect(of(out, 'cold.door')).toMatchObject([{ open: true }])
    expect(of(out, 'cold.defrost')).toMatchObject([{ active: true }])
  })

  it('goes offline when the controller stops answering and re-sends door state after recovery', async () => {
    const out = await start({ ...steady, doorOpen: true })
    await until(() => out.lastStatus()?.online === true && of(out, 'cold.door').length === 1, 3000, 'online')
    sim!.mute(true)
    await until(() => out.lastStatus()?.online === false, 3000, 'offline')
    sim!.mute(false)
    await until(() => out.lastStatus()?.online === true, 3000, 'online again')
    // The door may have changed while nobody could see it: its state is reported afresh.
    await until(() => of(out, 'cold.door').length === 2, 3000, 'door re-sent')
  })

  it('follows the fridge model through the simulated controller', async () => {
    const fridge = new FridgeSim(chilledFridge, 7, Date.now())
    let last = Date.now()
    const s = await startModbusTcpSim({
      refresh(img, now) {
        // Time-compressed: each real ms is a simulated second, so compressor cycles show within the test.
        const st = fridge.tick(now, (now - last) * 1000)
        last = now
        putDixellXr(img, { ...st, probeC: fridge.readProbe(now) })
      },
    })
    sim = s
    putDixellXr(s.image, steady)
    const out = recorder()
    adapter = modbusAdapterFrom(
      one<ResolvedColdConfig>({ id: 'f1', kind: 'modbus-cold', device: 'cold-f1', coldUnit: 'F1', tcp: `127.0.0.1:${s.port}`, pollMs: 20, timeoutMs: 150, map: 'dixell-xr' }),
      out,
    )
    adapter.start()
    await until(() => of(out, 'cold.temp').length >= 40, 5000, 'readings')
    const air = of(out, 'cold.temp').flatMap((r) => (r.kind === 'cold.temp' && r.probe === 'air' ? [r.c] : []))
    expect(Math.min(...air)).toBeGreaterThan(-5)
    expect(Math.max(...air)).toBeLessThan(12)
    expect(new Set(air).size).toBeGreaterThan(1)
  })
})
