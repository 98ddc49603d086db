/**
 * Packets and subscription records are stored as JSON text: readable with the sqlite3 CLI when a
 * store is debugged, and passable in bulk through `json_each()` (one statement per table per commit).
 * JSON has no bytes, so Buffers (payloads, MQTT 5 correlation data) travel as `{"$bytes": base64}`.
 */

const BYTES = '$bytes'

export function encodeDoc(value: unknown): string {
  // `this[key]` is the value before Buffer#toJSON turned it into {type, data: [...]}.
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, json: unknown) {
    const raw = this[key]
    return raw instanceof Uint8Array ? { [BYTES]: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64') } : json
  })
}

export function decodeDoc<T>(text: string): T {
  return JSON.parse(text, (_key, value: unknown) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const bytes = (value as Record<string, unknown>)[BYTES]
      if (typeof bytes === 'string' && Object.keys(value).length === 1) return Buffer.from(bytes, 'base64')
    }
    return value
  }) as T
}
