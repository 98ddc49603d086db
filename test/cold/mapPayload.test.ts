import { describe, expect, it } from 'vitest'
import { mapPayload, sensorPresets, topicMatches } from '../../devices/cold/mapPayload.ts'

const at = Date.UTC(2026, 10, 2)

describe('third-party sensor mapping', () => {
  it('maps a zigbee2mqtt temperature sensor onto a cold unit reading, with its battery', () => {
    const r = mapPayload({ topic: 'zigbee2mqtt/coldroom-probe', unit: 'R1', ...sensorPresets.zigbee2mqtt }, 'zigbee2mqtt/coldroom-probe', '{"temperature":3.2,"battery":87,"linkquality":120}', at)
    expect(r).toEqual({ ok: true, battery: 0.87, reading: { kind: 'cold.temp', device: 'zigbee2mqtt/coldroom-probe', unit: 'R1', ts: at, c: 3.2, probe: 'air' } })
  })

  it('follows a dotted path into a Tasmota payload and converts °F to °C', () => {
    const r = mapPayload({ topic: 'tele/+/SENSOR', unit: 'Z1', ...sensorPresets.tasmota }, 'tele/freezer/SENSOR', '{"Time":"2026-11-02T08:00:00","DS18B20":{"Id":"0316A279","Temperature":-0.4},"TempUnit":"F"}', at)
    expect(r.ok && r.reading.c).toBe(-18)
  })

  it('reads a Shelly Gen1 bare-number payload', () => {
    const r = mapPayload({ topic: 'shellies/+/sensor/temperature', unit: 'F2', ...sensorPresets['shelly-gen1'] }, 'shellies/ht-1/sensor/temperature', '4.5', at)
    expect(r.ok && r.reading.c).toBe(4.5)
  })

  it('says which field is missing instead of throwing', () => {
    const r = mapPayload({ topic: 'zigbee2mqtt/p', unit: 'R1', temperature: 'temperature' }, 'zigbee2mqtt/p', '{"battery":87}', at)
    expect(r).toEqual({ ok: false, error: 'zigbee2mqtt/p → cold/R1: no temperature at "temperature"' })
  })

  it('refuses a payload that is not JSON', () => {
    const r = mapPayload({ topic: 'zigbee2mqtt/p', unit: 'R1', temperature: 'temperature' }, 'zigbee2mqtt/p', 'offline', at)
    expect(r.ok ? '' : r.error).toMatch(/not JSON/)
  })

  it('refuses a temperature that is not a number', () => {
    const r = mapPayload({ topic: 'zigbee2mqtt/p', unit: 'R1', temperature: 'temperature' }, 'zigbee2mqtt/p', '{"temperature":"warm"}', at)
    expect(r.ok ? '' : r.error).toMatch(/is not a number \(got "warm"\)/)
  })

  it('takes the device time when the mapping names a timestamp field in epoch seconds', () => {
    const r = mapPayload({ topic: 'a/b', unit: 'R1', temperature: 't', ts: 'time' }, 'a/b', { t: 3, time: 1793606400 }, at)
    expect(r.ok && r.reading.ts).toBe(1793606400_000)
  })

  it('matches MQTT wildcards the way a broker does', () => {
    expect(topicMatches('tele/+/SENSOR', 'tele/f1/SENSOR')).toBe(true)
    expect(topicMatches('tele/+/SENSOR', 'tele/f1/STATE')).toBe(false)
    expect(topicMatches('zigbee2mqtt/#', 'zigbee2mqtt/a/b')).toBe(true)
  })
})
