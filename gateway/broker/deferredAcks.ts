/**
 * PUBACKs that wait for storage without stalling the device's connection.
 *
 * aedes reads the next chunk of a client's socket only after every publish in the previous one has
 * been authorized. Holding a QoS 1 reading's callback until a failing disk recovers would therefore
 * stall everything else that device sends: its later readings would never reach the rules, and a
 * freezer's excursion would go unnoticed for as long as the disk stays full.
 *
 * Instead such a publish is taken over here: aedes is told it is QoS 0 (no PUBACK from aedes, and
 * it reads on), and the PUBACK is written by us once the reading is on disk. While a client has
 * PUBACKs waiting, its later QoS 1 readings queue behind them, so the PUBACKs still go out in the
 * order the publishes came in (MQTT 3.1.1 §4.6). If the connection closes first, the device resends
 * the unacknowledged readings after reconnecting and the store ignores the duplicates.
 */
import type { Client, PublishPacket } from 'aedes'

interface Waiting {
  messageId: number
  stored: boolean
}

/** MQTT 3.1.1 PUBACK: fixed header 0x40, remaining length 2, packet identifier (big endian). */
function pubackBytes(messageId: number): Buffer {
  return Buffer.from([0x40, 0x02, messageId >> 8, messageId & 0xff])
}

export class DeferredAcks {
  readonly #queues = new WeakMap<Client, Waiting[]>()
  #waiting = 0

  /** PUBACKs waiting for storage, over all connections. */
  get waiting(): number {
    return this.#waiting
  }

  /** Whether this connection has PUBACKs waiting (its next QoS 1 readings must queue behind them). */
  has(client: Client): boolean {
    return this.#queues.has(client)
  }

  /**
   * Takes the PUBACK of `packet` over from aedes; call this before aedes' authorizePublish callback.
   * Returns what to call when the reading is stored (no argument) or can never be (an error: the
   * connection is closed so that the device resends it).
   */
  defer(client: Client, packet: PublishPacket): (err?: Error) => void {
    const entry: Waiting = { messageId: packet.messageId ?? 0, stored: false }
    // aedes decides on the PUBACK after this hook; at QoS 0 it sends none and reads on.
    ;(packet as { qos: number }).qos = 0
    let queue = this.#queues.get(client)
    if (!queue) this.#queues.set(client, (queue = []))
    queue.push(entry)
    this.#waiting++
    let settled = false
    return (err) => {
      if (settled) return
      settled = true
      if (err) return this.#drop(client)
      entry.stored = true
      this.#flush(client)
    }
  }

  #flush(client: Client): void {
    const queue = this.#queues.get(client)
    if (!queue) return
    const open = client.connected && !client.closed
    while (queue.length > 0 && (queue[0] as Waiting).stored) {
      const { messageId } = queue.shift() as Waiting
      this.#waiting--
      if (open) client.conn.write(pubackBytes(messageId))
    }
    if (queue.length === 0) this.#queues.delete(client)
  }

  #drop(client: Client): void {
    const queue = this.#queues.get(client)
    if (!queue) return
    this.#waiting -= queue.length
    this.#queues.delete(client)
    // Not acknowledged, so the device still has them: a reconnect makes it send them again.
    client.close()
  }
}
