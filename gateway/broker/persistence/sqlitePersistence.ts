import { Readable } from 'node:stream'
import { GroupCommit } from './groupCommit.ts'
import { loadStore } from './loadStore.ts'
import { createMemoryStore } from './memoryStore.ts'
import type { MemoryStore } from './memoryStore.ts'
import { OutgoingQueues } from './outgoingQueues.ts'
import { encodeDoc } from './packetCodec.ts'
import { prepareSchema } from './schema.ts'
import { closeDb, openDb } from './sqliteFile.ts'
import type { Db } from './sqliteFile.ts'
import type { BrokerRef, ClientRef, StoredPacket, SubscriptionIn } from './types.ts'

export interface SqlitePersistenceOptions {
  /** The broker's own SQLite file, e.g. `<dataDir>/broker.db`; created if missing. */
  readonly path: string
  /**
   * Retained topics kept in memory only: the gateway's own state/ and alerts/ trees, which its
   * services republish after every start. Writing each of those updates to disk would cost an fsync
   * and pages on the SD card for nothing.
   */
  readonly volatileRetained?: (topic: string) => boolean
}

/**
 * An aedes persistence that survives a restart: retained messages, persistent-session subscriptions,
 * queued QoS 1/2 messages, inbound QoS 2 state and wills.
 *
 * Reads are answered from memory (aedes-persistence's own store for retained messages,
 * subscriptions and inbound QoS 2; this file for outgoing queues and wills). Every mutation is
 * also written to SQLite, and its promise resolves only once that write is committed, so
 * whatever aedes acknowledges after awaiting it is on disk. `setup()` loads the file back.
 *
 * aedes never destroys its persistence: after `broker.close()` the host calls `destroy()`, which
 * writes what is still pending (e.g. wills deleted by closing clients) and closes the file.
 */
/** Topics whose subscriber lists are kept (devices × channels; cleared when full). */
const BY_TOPIC_MAX = 20_000

export class SqlitePersistence {
  readonly #db: Db
  readonly #path: string
  readonly #memory: MemoryStore = createMemoryStore()
  readonly #byTopic = new Map<string, unknown[]>()
  #subscriptionsGeneration = 0
  readonly #writes: GroupCommit
  readonly #outgoing = new OutgoingQueues()
  readonly #wills = new Map<string, StoredPacket>()
  /** Clients with stored inbound QoS 2 packets: a clean connect only costs a write when it has some to forget. */
  readonly #incomingClients = new Set<string>()
  #broker: BrokerRef | undefined
  #destroyed = false
  #volatileRetained: ((topic: string) => boolean) | undefined

  constructor(db: Db, path: string) {
    this.#db = db
    this.#path = path
    this.#writes = new GroupCommit(db)
  }

  setVolatileRetained(pred: (topic: string) => boolean): void {
    this.#volatileRetained = pred
  }

  get path(): string {
    return this.#path
  }

  /** aedes-persistence's contract suite reads the broker back from the persistence. */
  get broker(): BrokerRef | undefined {
    return this.#broker
  }

  // aedes requires an AsyncFunction here (it checks setup.constructor.name).
  async setup(broker: BrokerRef): Promise<void> {
    if (this.#broker !== undefined) throw new Error(`${this.#path}: broker store is already in use by a broker`)
    this.#broker = broker
    await this.#memory.setup(broker)
    const stored = await loadStore(this.#db)
    for (const packet of stored.retained) await this.#memory.storeRetained(packet)
    for (const [clientId, subs] of stored.subscriptions) await this.#memory.addSubscriptions({ id: clientId }, subs)
    for (const { clientId, packet } of stored.incoming) {
      await this.#memory.incomingStorePacket({ id: clientId }, packet)
      this.#incomingClients.add(clientId)
    }
    for (const { id, clientId, packet } of stored.outgoing) this.#outgoing.restore(id, clientId, packet)
    for (const { clientId, packet } of stored.wills) {
      // aedes publishes a stored will only when its broker id is not alive. Every will on disk was
      // left by a process that is gone, but with a fixed broker id it would look alive forever.
      if (packet.brokerId === broker.id) packet.brokerId = `${broker.id}:before-restart`
      this.#wills.set(clientId, packet)
    }
    // With a fixed broker id, new packets must not reuse the counters of restored queued ones:
    // aedes matches a queued packet by broker id + counter when it assigns the message id.
    if (broker.counter !== undefined) broker.counter = Math.max(broker.counter, this.#outgoing.highestCounter(broker.id))
  }

  async storeRetained(packet: StoredPacket): Promise<void> {
    this.#assertOpen()
    await this.#memory.storeRetained(packet)
    if (this.#volatileRetained?.(String(packet.topic))) return
    if (packet.payload === undefined || packet.payload.length === 0) this.#writes.delete('retained', [String(packet.topic)])
    else this.#writes.put('retained', [String(packet.topic)], encodeDoc(packet))
    return this.#writes.commit()
  }

  createRetainedStream(pattern: string): Readable {
    return this.#memory.createRetainedStream(pattern)
  }

  createRetainedStreamCombi(patterns: string[]): Readable {
    return this.#memory.createRetainedStreamCombi(patterns)
  }

  async addSubscriptions(client: ClientRef, subs: SubscriptionIn[]): Promise<void> {
    this.#assertOpen()
    this.#subscriptionsChanged()
    await this.#memory.addSubscriptions(client, subs)
    this.#subscriptionsChanged()
    for (const { topic, qos, rh, rap, nl, subscriptionIdentifier } of subs) {
      this.#writes.put('subscriptions', [client.id, topic], encodeDoc({ qos, rh, rap, nl, subscriptionIdentifier }))
    }
    return this.#writes.commit()
  }

  async removeSubscriptions(client: ClientRef, topics: string[]): Promise<void> {
    this.#assertOpen()
    this.#subscriptionsChanged()
    await this.#memory.removeSubscriptions(client, topics)
    this.#subscriptionsChanged()
    for (const topic of topics) this.#writes.delete('subscriptions', [client.id, topic])
    return this.#writes.commit()
  }

  subscriptionsByClient(client: ClientRef): Promise<SubscriptionIn[]> {
    return this.#memory.subscriptionsByClient(client)
  }

  countOffline(): Promise<{ subsCount: number; clientsCount: number }> {
    return this.#memory.countOffline()
  }

  /**
   * aedes asks this for every QoS 1 publish (whom to queue it for while offline). Devices publish the
   * same few topics over and over and subscriptions rarely change, so the answers are kept per topic
   * until the next subscription change: a map lookup instead of splitting and matching the topic.
   */
  subscriptionsByTopic(pattern: string): Promise<unknown[]> {
    const hit = this.#byTopic.get(pattern)
    if (hit !== undefined) return Promise.resolve(hit)
    const generation = this.#subscriptionsGeneration
    return this.#memory.subscriptionsByTopic(pattern).then((subs) => {
      // A subscription that changed meanwhile may not be in this answer: do not keep it.
      if (generation === this.#subscriptionsGeneration) {
        if (this.#byTopic.size >= BY_TOPIC_MAX) this.#byTopic.clear()
        this.#byTopic.set(pattern, subs)
      }
      return subs
    })
  }

  #subscriptionsChanged(): void {
    this.#subscriptionsGeneration++
    this.#byTopic.clear()
  }

  async cleanSubscriptions(client: ClientRef): Promise<void> {
    this.#assertOpen()
    // Every clean-session CONNECT lands here; devices rarely have anything stored.
    const had = (await this.#memory.subscriptionsByClient(client)).length > 0
    if (had) this.#subscriptionsChanged()
    await this.#memory.cleanSubscriptions(client)
    if (!had) return
    this.#subscriptionsChanged()
    this.#writes.forgetOwner('subscriptions', client.id)
    return this.#writes.commit()
  }

  async outgoingEnqueue(sub: { clientId: string }, packet: StoredPacket): Promise<void> {
    return this.outgoingEnqueueCombi([sub], packet)
  }

  async outgoingEnqueueCombi(subs: { clientId: string }[], packet: StoredPacket): Promise<void> {
    this.#assertOpen()
    // aedes calls this for every QoS > 0 publish, usually with no persistent subscriber to queue for.
    if (subs.length === 0) return
    for (const { clientId } of subs) {
      const entry = this.#outgoing.enqueue(clientId, packet)
      this.#writes.put('outgoing', [entry.id, clientId], encodeDoc(entry.packet))
    }
    return this.#writes.commit()
  }

  async outgoingUpdate(client: ClientRef, packet: StoredPacket): Promise<void> {
    this.#assertOpen()
    const entry = this.#outgoing.update(client.id, packet)
    this.#writes.put('outgoing', [entry.id, client.id], encodeDoc(entry.packet))
    return this.#writes.commit()
  }

  async outgoingClearMessageId(client: ClientRef, packet: StoredPacket): Promise<StoredPacket | undefined> {
    this.#assertOpen()
    const entry = this.#outgoing.clear(client.id, packet?.messageId)
    if (entry === undefined) return undefined
    this.#writes.delete('outgoing', [entry.id])
    await this.#writes.commit()
    return entry.packet
  }

  outgoingStream(client: ClientRef): Readable {
    return Readable.from(this.#outgoing.list(client.id))
  }

  async incomingStorePacket(client: ClientRef, packet: StoredPacket): Promise<void> {
    this.#assertOpen()
    await this.#memory.incomingStorePacket(client, packet)
    this.#incomingClients.add(client.id)
    this.#writes.put('incoming', [client.id, Number(packet.messageId)], encodeDoc(packet))
    return this.#writes.commit()
  }

  incomingGetPacket(client: ClientRef, packet: StoredPacket): Promise<StoredPacket> {
    return this.#memory.incomingGetPacket(client, packet)
  }

  async incomingDelPacket(client: ClientRef, packet: StoredPacket): Promise<void> {
    this.#assertOpen()
    await this.#memory.incomingDelPacket(client, packet) // throws when unknown, before any write
    this.#writes.delete('incoming', [client.id, Number(packet.messageId)])
    return this.#writes.commit()
  }

  async cleanIncoming(client: ClientRef): Promise<void> {
    this.#assertOpen()
    await this.#memory.cleanIncoming(client)
    if (!this.#incomingClients.delete(client.id)) return
    this.#writes.forgetOwner('incoming', client.id)
    return this.#writes.commit()
  }

  async putWill(client: ClientRef, packet: StoredPacket): Promise<void> {
    this.#assertOpen()
    // Stamped in place, as aedes-persistence does: the broker id tells later sweeps whose client it was.
    packet.brokerId = this.#requireBroker().id
    packet.clientId = client.id
    this.#wills.set(client.id, packet)
    this.#writes.put('wills', [client.id], encodeDoc(packet))
    return this.#writes.commit()
  }

  async getWill(client: ClientRef): Promise<StoredPacket | undefined> {
    return this.#wills.get(client.id)
  }

  async delWill(client: ClientRef): Promise<StoredPacket | undefined> {
    this.#assertOpen()
    const will = this.#wills.get(client.id)
    if (will === undefined) return undefined
    this.#wills.delete(client.id)
    this.#writes.delete('wills', [client.id])
    await this.#writes.commit()
    return will
  }

  /** Wills of clients whose broker is not in `brokers` (the live ones): aedes publishes these. */
  streamWill(brokers: Record<string, unknown> = {}): Readable {
    const dead = [...this.#wills.values()].filter((will) => !brokers[String(will.brokerId)])
    return Readable.from(dead)
  }

  getClientList(topic: string): Readable {
    return this.#memory.getClientList(topic)
  }

  /** Commits and transaction rows written so far, for metrics and tests. */
  stats(): { commits: number; rows: number } {
    return this.#writes.stats()
  }

  /** Writes what is still pending and closes the file. Call after `broker.close()`. */
  async destroy(): Promise<void> {
    if (this.#destroyed) throw new Error('destroyed called twice!') // the contract suite's wording
    this.#destroyed = true
    await this.#memory.destroy()
    await this.#writes.close()
    await closeDb(this.#db)
  }

  // After destroy the in-memory side is gone too; a late mutation must fail, not vanish.
  #assertOpen(): void {
    if (this.#destroyed) throw new Error(`${this.#path}: broker store is closed`)
  }

  #requireBroker(): BrokerRef {
    if (this.#broker === undefined) throw new Error(`${this.#path}: broker store used before setup(broker)`)
    return this.#broker
  }
}

/** Opens (or creates) the broker's SQLite file; pass the result as aedes' `persistence` option. */
export async function createSqlitePersistence(options: SqlitePersistenceOptions): Promise<SqlitePersistence> {
  const db = await openDb(options.path)
  try {
    await prepareSchema(db, options.path)
  } catch (err) {
    await closeDb(db).catch(() => {})
    throw err
  }
  const p = new SqlitePersistence(db, options.path)
  if (options.volatileRetained) p.setVolatileRetained(options.volatileRetained)
  return p
}
