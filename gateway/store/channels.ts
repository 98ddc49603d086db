/**
 * Channel ids for `raw_readings` (migration 3): one small integer per (device, kind, subject), so a
 * stored reading carries a number instead of three names. SQLite hands out the ids (the `channels`
 * rowid, in the write transaction that first needs one); this is the gateway's copy of the table,
 * loaded at open and added to once such a transaction has committed.
 */
import type { Reading } from '../contract/readings.ts'

export interface ChannelRow {
  id: number
  device: string
  kind: string
  subject: string
}

export class ChannelIds {
  // subject → kind → device → id. Subjects are interned strings (readingSubject), so the first
  // lookup is on a string whose hash is already known; no key string is built per reading.
  readonly #ids = new Map<string, Map<string, Map<string, number>>>()

  constructor(rows: readonly ChannelRow[] = []) {
    for (const row of rows) this.add(row)
  }

  /** The channel's id, or undefined when it has none on disk yet. */
  idOf(device: string, kind: Reading['kind'], subject: string): number | undefined {
    return this.#ids.get(subject)?.get(kind)?.get(device)
  }

  /** A channel known to be on disk (committed). */
  add(row: ChannelRow): void {
    let kinds = this.#ids.get(row.subject)
    if (kinds === undefined) this.#ids.set(row.subject, (kinds = new Map()))
    let devices = kinds.get(row.kind)
    if (devices === undefined) kinds.set(row.kind, (devices = new Map()))
    devices.set(row.device, row.id)
  }
}
