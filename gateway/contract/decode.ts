/**
 * Payload decoding for the hot path: bytes → canonical Reading, or a refusal with a documented reason
 * (docs/topics.md "Refusal reasons"). Never throws on device input.
 */
import type { z } from 'zod'
import { payloadSchemas } from './payloads.ts'
import type { Reading, ShelfWeightReading } from './readings.ts'
import type { DeviceTopic } from './topics.ts'
import { scanFlatPayload, type FlatFields } from './flatPayload.ts'

export const REFUSAL_REASONS = [
  'oversize',
  'not_json',
  'not_finite',
  'missing_field',
  'wrong_type',
  'out_of_range',
  'invalid',
  'unknown_topic',
  'wrong_store',
  'gateway_topic',
  'not_permitted',
  'unknown_subject',
  'rate_limited',
] as const

export type RefusalReason = (typeof REFUSAL_REASONS)[number]

export interface Refusal {
  ok: false
  reason: RefusalReason
  detail: string
}

export type Decoded = { ok: true; reading: Reading } | Refusal

/** Device timestamps before this are a board without a synced clock; use arrival time instead. */
const EARLIEST_PLAUSIBLE_TS = Date.UTC(2020, 0, 1)
const MAX_FUTURE_SKEW_MS = 24 * 3600_000

export const DEFAULT_MAX_PAYLOAD_BYTES = 1024

/** JSON can carry 1e999, which parses to Infinity: refuse it by name rather than as a range error. */
function findNonFinite(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : ''
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const inner = findNonFinite(v)
      if (inner !== undefined) return inner ? `${k}.${inner}` : k
    }
  }
  return undefined
}

function refusalFromZod(error: z.ZodError, json: Record<string, unknown>): Refusal {
  const issue = error.issues[0]
  const path = issue?.path.join('.') || '(payload)'
  if (!issue) return { ok: false, reason: 'invalid', detail: 'payload does not match its schema' }
  if (issue.code === 'invalid_type') {
    let at: unknown = json
    for (const k of issue.path) at = at !== null && typeof at === 'object' ? (at as Record<PropertyKey, unknown>)[k as PropertyKey] : undefined
    const missing = at === undefined
    return missing
      ? { ok: false, reason: 'missing_field', detail: `"${path}" is required (${issue.expected})` }
      : { ok: false, reason: 'wrong_type', detail: `"${path}" must be ${issue.expected}` }
  }
  if (issue.code === 'too_big' || issue.code === 'too_small') {
    return { ok: false, reason: 'out_of_range', detail: `"${path}": ${issue.message}` }
  }
  if (issue.code === 'invalid_value') {
    return { ok: false, reason: 'wrong_type', detail: `"${path}": ${issue.message}` }
  }
  return { ok: false, reason: 'invalid', detail: `"${path}": ${issue.message}` }
}

/** Reused for every payload: decodeCommon copies what it keeps. */
const scratch: FlatFields = { g: undefined, raw: undefined, c: undefined, seq: undefined, ts: undefined, probe: undefined }

/** What decodeCommon reads: the scanned fields or a parsed JSON object. */
type Fields = { readonly [K in keyof FlatFields]?: unknown }

export function decodePayload(
  topic: DeviceTopic,
  payload: Buffer,
  device: string,
  now: number,
  maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES,
  /** false while the gateway clock is unsynced: then its time stamps every reading. */
  trustDeviceTs = true,
): Decoded {
  if (payload.length > maxPayloadBytes) {
    return { ok: false, reason: 'oversize', detail: `payload is ${payload.length} bytes; the limit is ${maxPayloadBytes}` }
  }
  // Weights and temperatures in their usual form skip the string copy and JSON.parse (flatPayload.ts).
  if ((topic.kind === 'shelf.weight' || topic.kind === 'cold.temp') && scanFlatPayload(payload, scratch)) {
    const fast = decodeCommon(topic, scratch, device, now, trustDeviceTs)
    if (fast !== undefined) return { ok: true, reading: fast }
  }
  let json: unknown
  try {
    json = JSON.parse(payload.toString('utf8'))
  } catch {
    return { ok: false, reason: 'not_json', detail: 'payload is not valid JSON' }
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return { ok: false, reason: 'not_json', detail: 'payload must be a JSON object' }
  }
  const fast = decodeCommon(topic, json as Record<string, unknown>, device, now, trustDeviceTs)
  if (fast !== undefined) return { ok: true, reading: fast }
  return decodeWithSchema(topic, json as Record<string, unknown>, device, now, trustDeviceTs)
}

/** A parsed JSON object against its topic's zod schema: the reference path (exported for the test that the fast path agrees). */
export function decodeWithSchema(topic: DeviceTopic, json: Record<string, unknown>, device: string, now: number, trustDeviceTs = true): Decoded {
  const parsed = payloadSchemas[topic.kind].safeParse(json)
  if (!parsed.success) {
    // Only a refused payload is searched for 1e999 (which parses to Infinity), to name it precisely.
    const nonFinite = findNonFinite(json)
    if (nonFinite !== undefined) return { ok: false, reason: 'not_finite', detail: `"${nonFinite}" is not a finite number` }
    return refusalFromZod(parsed.error, json)
  }

  const p = parsed.data as { ts?: number; seq?: number }
  const ts = readingTs(p.ts, now, trustDeviceTs)
  const base = p.seq === undefined ? { device, ts } : { device, ts, seq: p.seq }
  // The schema has validated the fields; the spread keeps only what each kind defines.
  const d = parsed.data as Record<string, unknown>
  switch (topic.kind) {
    case 'shelf.weight': {
      const reading: ShelfWeightReading = { ...base, kind: topic.kind, shelf: topic.shelf, lane: topic.lane }
      if (d.g !== undefined) reading.g = d.g as number
      else reading.raw = d.raw as number
      return { ok: true, reading }
    }
    case 'cold.temp':
      return { ok: true, reading: { ...base, kind: topic.kind, unit: topic.unit, c: d.c as number, probe: d.probe as 'air' } }
    case 'cold.door':
      return { ok: true, reading: { ...base, kind: topic.kind, unit: topic.unit, open: d.open as boolean } }
    case 'cold.defrost':
      return { ok: true, reading: { ...base, kind: topic.kind, unit: topic.unit, active: d.active as boolean } }
    case 'locker.event':
      return {
        ok: true,
        reading: { ...base, kind: topic.kind, locker: topic.locker, slot: topic.slot, type: d.type as 'door_opened' },
      }
    case 'device.status':
      return { ok: true, reading: { ...base, kind: topic.kind, ...pick(d, 'fw', 'battery', 'errors'), online: d.online as boolean } }
  }
}

function readingTs(deviceTs: number | undefined, now: number, trustDeviceTs: boolean): number {
  return trustDeviceTs && deviceTs !== undefined && deviceTs >= EARLIEST_PLAUSIBLE_TS && deviceTs <= now + MAX_FUTURE_SKEW_MS ? deviceTs : now
}

/** ts and seq as the envelope schema accepts them: absent, or a non-negative (safe) integer. */
function envelopeOk(v: unknown): boolean {
  return v === undefined || (Number.isSafeInteger(v) && (v as number) >= 0)
}

const PROBES: ReadonlySet<unknown> = new Set(['air', 'product', 'evaporator'])

/**
 * The two payloads that are nearly all of the traffic (weights and temperatures), checked by hand:
 * only what their zod schemas in payloads.ts surely accept, built without zod's result objects and the
 * spreads below. Anything else or doubtful returns undefined and goes through zod, which also names
 * what is wrong. test/contract checks that both paths agree.
 */
function decodeCommon(topic: DeviceTopic, d: Fields, device: string, now: number, trustDeviceTs: boolean): Reading | undefined {
  const seq = d.seq
  if (!envelopeOk(d.ts) || !envelopeOk(seq)) return undefined
  if (topic.kind === 'shelf.weight') {
    const g = d.g
    const raw = d.raw
    let reading: ShelfWeightReading
    if (typeof g === 'number' && raw === undefined && g >= -1_000_000 && g <= 1_000_000) {
      reading = seq === undefined
        ? { device, ts: readingTs(d.ts as number | undefined, now, trustDeviceTs), kind: topic.kind, shelf: topic.shelf, lane: topic.lane, g }
        : { device, ts: readingTs(d.ts as number | undefined, now, trustDeviceTs), seq: seq as number, kind: topic.kind, shelf: topic.shelf, lane: topic.lane, g }
    } else if (g === undefined && Number.isSafeInteger(raw) && (raw as number) >= -(2 ** 31) && (raw as number) <= 2 ** 31 - 1) {
      reading = seq === undefined
        ? { device, ts: readingTs(d.ts as number | undefined, now, trustDeviceTs), kind: topic.kind, shelf: topic.shelf, lane: topic.lane, raw: raw as number }
        : { device, ts: readingTs(d.ts as number | undefined, now, trustDeviceTs), seq: seq as number, kind: topic.kind, shelf: topic.shelf, lane: topic.lane, raw: raw as number }
    } else return undefined
    return reading
  }
  if (topic.kind === 'cold.temp') {
    const c = d.c
    const probe = d.probe === undefined ? 'air' : d.probe
    if (typeof c !== 'number' || !(c >= -60 && c <= 80) || !PROBES.has(probe)) return undefined
    const ts = readingTs(d.ts as number | undefined, now, trustDeviceTs)
    return seq === undefined
      ? { device, ts, kind: topic.kind, unit: topic.unit, c, probe: probe as 'air' }
      : { device, ts, seq: seq as number, kind: topic.kind, unit: topic.unit, c, probe: probe as 'air' }
  }
  return undefined
}

function pick(d: Record<string, unknown>, ...keys: string[]): Record<string, never> {
  const out: Record<string, unknown> = {}
  for (const k of keys) if (d[k] !== undefined) out[k] = d[k]
  return out as Record<string, never>
}
