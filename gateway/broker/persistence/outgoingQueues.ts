import { createRequire } from 'node:module'
import type { StoredPacket } from './types.ts'

// aedes-packet is CommonJS without a usable default-export type; it copies a packet the way aedes expects.
const require = createRequire(import.meta.url)
const Packet = require('aedes-packet') as new (original: StoredPacket) => StoredPacket

export interface QueueEntry {
  /** Row id in the `outgoing` table; increasing, so it is also the delivery order. */
  readonly id: number
  packet: StoredPacket
}

/**
 * QoS 1/2 messages waiting for (or in flight to) persistent-session clients, per client, in order.
 * Same semantics as aedes-persistence's in-memory queue, but every entry carries a row id so each
 * change can be written to exactly one row.
 */
export class OutgoingQueues {
  readonly #queues = new Map<string, QueueEntry[]>()
  #nextId = 1

  restore(id: number, clientId: string, packet: StoredPacket): void {
    this.#queue(clientId).push({ id, packet })
    if (id >= this.#nextId) this.#nextId = id + 1
  }

  enqueue(clientId: string, packet: StoredPacket): QueueEntry {
    const entry = { id: this.#nextId++, packet: new Packet(packet) }
    this.#queue(clientId).push(entry)
    return entry
  }

  /**
   * A packet got its message id (matched by broker id + counter, since message ids wrap at 65535)
   * or was replaced by its PUBREL (matched by message id). Throws like the in-memory store.
   *
   * Unlike aedes-persistence 11's in-memory store, a PUBREL (no broker id) never matches by broker
   * id: there, `undefined === undefined` made the second of two PUBRELs in flight overwrite the
   * first one's message id, and that first message was never released to the subscriber.
   */
  update(clientId: string, packet: StoredPacket): QueueEntry {
    const hasBrokerId = packet.brokerId !== undefined && packet.brokerId !== null
    for (const entry of this.#queues.get(clientId) ?? []) {
      if (hasBrokerId && entry.packet.brokerId === packet.brokerId) {
        if (entry.packet.brokerCounter === packet.brokerCounter) {
          entry.packet.messageId = packet.messageId
          return entry
        }
      } else if (entry.packet.messageId === packet.messageId) {
        entry.packet = packet
        return entry
      }
    }
    throw new Error('no such packet')
  }

  /** Removes the first entry with this message id (acknowledged or dropped); undefined if none. */
  clear(clientId: string, messageId: number | undefined): QueueEntry | undefined {
    const queue = this.#queues.get(clientId)
    if (queue === undefined) return undefined
    const index = queue.findIndex((entry) => entry.packet.messageId === messageId)
    if (index < 0) return undefined
    const [entry] = queue.splice(index, 1)
    if (queue.length === 0) this.#queues.delete(clientId)
    return entry
  }

  /** A snapshot, so deliveries that change the queue do not disturb a stream over it. */
  list(clientId: string): StoredPacket[] {
    return (this.#queues.get(clientId) ?? []).map((entry) => entry.packet)
  }

  highestCounter(brokerId: string): number {
    let highest = 0
    for (const queue of this.#queues.values()) {
      for (const { packet } of queue) {
        if (packet.brokerId === brokerId && (packet.brokerCounter ?? 0) > highest) highest = packet.brokerCounter ?? 0
      }
    }
    return highest
  }

  #queue(clientId: string): QueueEntry[] {
    let queue = this.#queues.get(clientId)
    if (queue === undefined) {
      queue = []
      this.#queues.set(clientId, queue)
    }
    return queue
  }
}
