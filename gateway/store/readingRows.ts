/**
 * Reading ⇄ `readings` row. A row keeps the main number in `v` and anything else in a small JSON
 * `x`, and device, kind and subject as one channel id (channels.ts), so a shelf weight costs ~24
 * bytes on the SD card rather than the full payload. The ids (shelf, lane, unit…) come back from
 * `subject` (the `readings` view joins it back in); they are MQTT topic segments, so never contain '/'.
 */
import type { Reading } from '../contract/readings.ts'
import { readingSubject } from '../contract/readings.ts'

export interface ReadingRow {
  device: string
  kind: Reading['kind']
  subject: string
  ts: number
  seq: number | null
  v: number | null
  x: string | null
}

const bool = (b: boolean): number => (b ? 1 : 0)
const json = (o: Record<string, unknown>): string | null => {
  const defined = Object.entries(o).filter(([, v]) => v !== undefined)
  return defined.length === 0 ? null : JSON.stringify(Object.fromEntries(defined))
}

export function toRow(r: Reading): ReadingRow {
  return { device: r.device, kind: r.kind, subject: readingSubject(r), ts: r.ts, seq: r.seq ?? null, v: valueOf(r), x: extraOf(r) }
}

/** The main number of a reading: grams, °C, 1/0. */
function valueOf(r: Reading): number | null {
  switch (r.kind) {
    case 'shelf.weight':
      return r.g ?? null
    case 'cold.temp':
      return r.c
    case 'cold.door':
      return bool(r.open)
    case 'cold.defrost':
      return bool(r.active)
    case 'locker.event':
      return null
    case 'device.status':
      return bool(r.online)
  }
}

/** Everything else, as compact JSON, or null when there is nothing else. */
function extraOf(r: Reading): string | null {
  switch (r.kind) {
    case 'shelf.weight':
      return r.raw === undefined ? null : json({ raw: r.raw })
    case 'cold.temp':
      // 'air' is the default probe and by far the most common: leave it out.
      return r.probe === 'air' ? null : json({ probe: r.probe })
    case 'cold.door':
    case 'cold.defrost':
      return null
    case 'locker.event':
      return json({ type: r.type })
    case 'device.status':
      return json({ fw: r.fw, battery: r.battery, errors: r.errors })
  }
}

/** Compact positional form for the batch JSON handed to jsonb_each (see groupCommit.ts). */
export function toTuple(r: Reading, channel: number): unknown[] {
  return [channel, r.ts, r.seq ?? null, valueOf(r), extraOf(r)]
}

/**
 * One statement per batch. jsonb_each hands each row over as JSONB, which ->> reads without parsing
 * text again: with json_each the extractions per row cost ~2.8 µs, most of the statement
 * (docs/performance.md).
 */
export const INSERT_BATCH_SQL = `
  INSERT OR IGNORE INTO raw_readings (channel, ts, seq, v, x)
  SELECT value->>0, value->>1, coalesce(value->>2, -1), value->>3, value->>4
  FROM jsonb_each(?)`

export function fromRow(row: ReadingRow): Reading {
  const x = (row.x === null ? {} : JSON.parse(row.x)) as Record<string, unknown>
  const parts = row.subject.split('/')
  const base = row.seq === null || row.seq < 0 ? { device: row.device, ts: row.ts } : { device: row.device, ts: row.ts, seq: row.seq }
  const id = (i: number): string => parts[i] ?? ''
  switch (row.kind) {
    case 'shelf.weight':
      return {
        ...base,
        kind: row.kind,
        shelf: id(1),
        lane: id(2),
        ...(row.v === null ? {} : { g: row.v }),
        ...(typeof x.raw === 'number' ? { raw: x.raw } : {}),
      }
    case 'cold.temp':
      return { ...base, kind: row.kind, unit: id(1), c: row.v ?? NaN, probe: (x.probe as 'product' | undefined) ?? 'air' }
    case 'cold.door':
      return { ...base, kind: row.kind, unit: id(1), open: row.v === 1 }
    case 'cold.defrost':
      return { ...base, kind: row.kind, unit: id(1), active: row.v === 1 }
    case 'locker.event':
      return { ...base, kind: row.kind, locker: id(1), slot: Number(id(2)), type: x.type as never }
    case 'device.status':
      return {
        ...base,
        kind: row.kind,
        online: row.v === 1,
        ...(typeof x.fw === 'string' ? { fw: x.fw } : {}),
        ...(typeof x.battery === 'number' ? { battery: x.battery } : {}),
        ...(typeof x.errors === 'number' ? { errors: x.errors } : {}),
      }
  }
}
