/**
 * Channel ids for `raw_readings` (migration 3): one small integer per (device, kind, subject), so a
 * stored reading carries a number instead of three names. The gateway is the only writer of the
 * table, so it hands out the ids itself; an id is "unsaved" until a batch that wrote its row to
 * `channels` has committed.
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
  readonly #unsaved = new Map<number, ChannelRow>()
  #next = 1

  constructor(rows: readonly ChannelRow[] = []) {
    for (const row of rows) {
      this.#put(row.subject, row.kind, row.device, row.id)
      if (row.id >= this.#next) this.#next = row.id + 1
    }
  }

  /** The channel's id, handed out now if it is new (then unsaved until saved() hears of it). */
  idOf(device: string, kind: Reading['kind'], subject: string): number {
    const id = this.#ids.get(subject)?.get(kind)?.get(device)
    if (id !== undefined) return id
    const fresh = this.#next++
    this.#put(subject, kind, device, fresh)
    this.#unsaved.set(fresh, { id: fresh, device, kind, subject })
    return fresh
  }

  /** The row to write for an id not yet on disk, or undefined once it is. */
  unsaved(id: number): ChannelRow | undefined {
    return this.#unsaved.get(id)
  }

  saved(ids: Iterable<number>): void {
    for (const id of ids) this.#unsaved.delete(id)
  }

  #put(subject: string, kind: string, device: string, id: number): void {
    let kinds = this.#ids.get(subject)
    if (kinds === undefined) this.#ids.set(subject, (kinds = new Map()))
    let devices = kinds.get(kind)
    if (devices === undefined) kinds.set(kind, (devices = new Map()))
    devices.set(device, id)
  }
}
