/**
 * Third-party temperature sensors (zigbee2mqtt, Tasmota, Shelly ...) mapped onto the canonical
 * ColdTempReading by configuration: which topic belongs to which unit, and where the temperature sits
 * in the payload (a dotted path). Returns a result, never throws: device input errors are counted and
 * logged by the caller with the device id.
 */
import type { ColdTempReading } from '../../gateway/contract/readings.ts'

export interface SensorMapping {
  /** MQTT topic filter (`+` and `#` wildcards), e.g. 'zigbee2mqtt/coldroom-probe'. */
  topic: string
  unit: string
  /** Device id for the reading; default: the topic. */
  device?: string
  /** Dotted path to the temperature ('temperature', 'DS18B20.Temperature', 'temperature:0.tC'); '' for a bare number. */
  temperature: string
  /** Unit of the value: 'C' (default), 'F', or a dotted path to a field holding 'C'/'F' (Tasmota's TempUnit). */
  scale?: 'C' | 'F' | { path: string }
  /** Dotted path to a battery level in percent (0–100), reported alongside. */
  battery?: string
  /** Dotted path to the device's timestamp: epoch seconds or ms, or ISO 8601 with an offset. */
  ts?: string
  probe?: ColdTempReading['probe']
}

/** Payload shapes of common firmware (docs/cold-chain.md has the topics). */
export const sensorPresets = {
  zigbee2mqtt: { temperature: 'temperature', battery: 'battery' },
  tasmota: { temperature: 'DS18B20.Temperature', scale: { path: 'TempUnit' } },
  'tasmota-sht3x': { temperature: 'SHT3X.Temperature', scale: { path: 'TempUnit' } },
  /** Shelly Gen2+ `<id>/status/temperature:0`. */
  shelly: { temperature: 'tC' },
  /** Shelly Gen1 `shellies/<id>/sensor/temperature`: a bare number in the device's configured unit. */
  'shelly-gen1': { temperature: '' },
} as const satisfies Record<string, Omit<SensorMapping, 'topic' | 'unit'>>

export type MapResult =
  | { ok: true; reading: ColdTempReading; battery?: number }
  | { ok: false; error: string }

/** Canonical range (gateway/contract/payloads.ts coldTempPayload). */
const minC = -60
const maxC = 80

export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/')
  const t = topic.split('/')
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true
    if (i >= t.length) return false
    if (f[i] !== '+' && f[i] !== t[i]) return false
  }
  return f.length === t.length
}

/** Value at a dotted path ('a.b.0.c'); '' is the value itself. */
export function getPath(value: unknown, path: string): unknown {
  if (path === '') return value
  let cur: unknown = value
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined
    cur = (cur as Record<string, unknown>)[key]
  }
  return cur
}

function parse(payload: string | Uint8Array | unknown): { ok: true; value: unknown } | { ok: false; error: string } {
  if (typeof payload !== 'string' && !(payload instanceof Uint8Array)) return { ok: true, value: payload }
  const text = typeof payload === 'string' ? payload : new TextDecoder().decode(payload)
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch {
    return { ok: false, error: `payload is not JSON (starts with ${JSON.stringify(text.slice(0, 20))})` }
  }
}

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v)
  return undefined
}

function timestamp(v: unknown): number | undefined {
  const n = toNumber(v)
  if (n !== undefined) return n < 1e12 ? n * 1000 : n // epoch seconds or ms
  // Only strings that carry their offset: Tasmota's "Time" is device-local without one and is ambiguous.
  if (typeof v === 'string' && /(Z|[+-]\d\d:?\d\d)$/.test(v)) {
    const t = Date.parse(v)
    return Number.isNaN(t) ? undefined : t
  }
  return undefined
}

/** Map one message; `arrivedAt` stamps it when the payload has no usable time. */
export function mapPayload(mapping: SensorMapping, topic: string, payload: string | Uint8Array | unknown, arrivedAt: number): MapResult {
  const where = `${topic} → cold/${mapping.unit}`
  if (!topicMatches(mapping.topic, topic)) return { ok: false, error: `${where}: topic does not match "${mapping.topic}"` }
  const parsed = parse(payload)
  if (!parsed.ok) return { ok: false, error: `${where}: ${parsed.error}` }
  const raw = getPath(parsed.value, mapping.temperature)
  if (raw === undefined || raw === null) return { ok: false, error: `${where}: no temperature at "${mapping.temperature || '(payload)'}"` }
  const value = toNumber(raw)
  if (value === undefined) return { ok: false, error: `${where}: temperature at "${mapping.temperature || '(payload)'}" is not a number (got ${JSON.stringify(raw)})` }
  let scale: unknown = mapping.scale ?? 'C'
  if (typeof scale === 'object' && scale !== null) scale = getPath(parsed.value, (scale as { path: string }).path) ?? 'C'
  if (scale !== 'C' && scale !== 'F') return { ok: false, error: `${where}: temperature scale must be "C" or "F" (got ${JSON.stringify(scale)})` }
  const c = Math.round((scale === 'F' ? ((value - 32) * 5) / 9 : value) * 100) / 100
  if (c < minC || c > maxC) return { ok: false, error: `${where}: ${c} °C is outside ${minC}…${maxC} °C` }
  let ts = arrivedAt
  if (mapping.ts !== undefined) {
    const t = timestamp(getPath(parsed.value, mapping.ts))
    if (t === undefined) return { ok: false, error: `${where}: no usable timestamp at "${mapping.ts}"` }
    ts = t
  }
  const reading: ColdTempReading = { kind: 'cold.temp', device: mapping.device ?? topic, unit: mapping.unit, ts, c, probe: mapping.probe ?? 'air' }
  const result: MapResult = { ok: true, reading }
  if (mapping.battery !== undefined) {
    const b = toNumber(getPath(parsed.value, mapping.battery))
    if (b !== undefined && b >= 0 && b <= 100) result.battery = b / 100
  }
  return result
}
