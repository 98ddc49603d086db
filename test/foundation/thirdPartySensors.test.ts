import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Reading } from '../../gateway/contract/readings.ts'
import { DEVICES, startHarness, type Harness } from '../support/gatewayHarness.ts'

// A cold room probed by a Zigbee sensor, reported by zigbee2mqtt connected with its own login.
const COLD_UNITS = `[
  { id: F1, name: Dairy fridge, class: chilled, device: cold-f1 },
  { id: R1, name: Cold room, class: cold-room, source: { topic: zigbee2mqtt/coldroom-probe, preset: zigbee2mqtt } },
  { id: R2, name: Back room, class: cold-room, source: { topic: tele/probe2/SENSOR, device: tasmota-2, map: { c: DS18B20.Temperature, scale: F } } }
]`

let h: Harness
let readings: Reading[]
beforeEach(async () => {
  h = await startHarness({ coldUnits: COLD_UNITS, devices: [...DEVICES, 'zigbee2mqtt', 'tasmota-2'] })
  readings = []
  h.gw.bus.on('reading', readings, (r) => void readings.push(r))
})
afterEach(async () => {
  await h.stop()
})

describe('third-party temperature sensors mapped onto cold units', () => {
  it('turns a zigbee2mqtt payload into a cold-room temperature reading', async () => {
    const z2m = await h.connect('zigbee2mqtt')
    await z2m.publishAsync('zigbee2mqtt/coldroom-probe', '{"temperature":3.2,"battery":87,"linkquality":120}', { qos: 1 })
    expect(readings).toHaveLength(1)
    expect(readings[0]).toMatchObject({ kind: 'cold.temp', unit: 'R1', c: 3.2, device: 'zigbee2mqtt' })
  })

  it('converts a Tasmota sensor reporting in °F', async () => {
    const t = await h.connect('tasmota-2')
    await t.publishAsync('tele/probe2/SENSOR', '{"DS18B20":{"Temperature":38.3}}', { qos: 1 })
    expect(readings[0]).toMatchObject({ kind: 'cold.temp', unit: 'R2', c: 3.5 })
  })

  it('refuses the mapped topic from any other login, and counts it', async () => {
    const f1 = await h.connect('cold-f1')
    await f1.publishAsync('zigbee2mqtt/coldroom-probe', '{"temperature":30}', { qos: 1 })
    expect(readings).toHaveLength(0)
    expect(await h.metric('shelfgate_refused_payloads_total', { reason: 'not_permitted' })).toBe(1)
  })

  it('refuses a payload without the mapped temperature, naming the path, and keeps the sensor connected', async () => {
    const z2m = await h.connect('zigbee2mqtt')
    await z2m.publishAsync('zigbee2mqtt/coldroom-probe', '{"humidity":80}', { qos: 1 })
    expect(h.gw.stats.get('zigbee2mqtt').lastRefusal).toMatchObject({ reason: 'invalid' })
    expect(h.gw.stats.get('zigbee2mqtt').lastRefusal?.detail).toContain('no temperature at "temperature"')
    expect(z2m.connected).toBe(true)
  })
})
