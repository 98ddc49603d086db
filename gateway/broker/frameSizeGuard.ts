/**
 * mqtt-packet (under aedes) buffers a whole packet before parsing it and has no size limit for
 * MQTT 3.1.1, so one client could make the gateway buffer megabytes. This guard follows the MQTT
 * fixed headers in the raw byte stream and reports the first packet whose remaining length exceeds
 * the limit, before its body is buffered. It skips bodies, so the cost is per packet, not per byte.
 */
export class FrameSizeGuard {
  readonly maxBytes: number
  /** 0: expect header byte; 1: reading remaining-length varint; 2: skipping body */
  #state = 0
  #length = 0
  #multiplier = 1
  #toSkip = 0

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes
  }

  /** Returns the oversize packet's length if this chunk starts one, else undefined. */
  scan(buf: Uint8Array): number | undefined {
    let i = 0
    while (i < buf.length) {
      if (this.#state === 2) {
        const n = Math.min(this.#toSkip, buf.length - i)
        this.#toSkip -= n
        i += n
        if (this.#toSkip === 0) this.#state = 0
      } else if (this.#state === 0) {
        i++
        this.#state = 1
        this.#length = 0
        this.#multiplier = 1
      } else {
        const b = buf[i++] as number
        this.#length += (b & 0x7f) * this.#multiplier
        this.#multiplier *= 128
        if (this.#length > this.maxBytes) return this.#length
        if ((b & 0x80) === 0) {
          this.#toSkip = this.#length
          this.#state = this.#toSkip === 0 ? 0 : 2
        } else if (this.#multiplier > 128 ** 4) {
          return Number.POSITIVE_INFINITY // malformed varint: more than 4 bytes
        }
      }
    }
    return undefined
  }
}
