import { createRequire } from 'node:module'
import type { Readable } from 'node:stream'
import type { BrokerRef, ClientRef, StoredPacket, SubscriptionIn } from './types.ts'

/**
 * aedes-persistence's own in-memory store (the one aedes uses by default). The SQLite store keeps
 * answering reads from it, so topic matching, retained lookups and the subscription trie stay the
 * code that passes aedes-persistence's contract suite.
 */
export interface MemoryStore {
  setup(broker: BrokerRef): Promise<void>
  storeRetained(packet: StoredPacket): Promise<void>
  createRetainedStream(pattern: string): Readable
  createRetainedStreamCombi(patterns: string[]): Readable
  addSubscriptions(client: ClientRef, subs: SubscriptionIn[]): Promise<void>
  removeSubscriptions(client: ClientRef, topics: string[]): Promise<void>
  subscriptionsByClient(client: ClientRef): Promise<SubscriptionIn[]>
  countOffline(): Promise<{ subsCount: number; clientsCount: number }>
  subscriptionsByTopic(pattern: string): Promise<unknown[]>
  cleanSubscriptions(client: ClientRef): Promise<void>
  incomingStorePacket(client: ClientRef, packet: StoredPacket): Promise<void>
  incomingGetPacket(client: ClientRef, packet: StoredPacket): Promise<StoredPacket>
  incomingDelPacket(client: ClientRef, packet: StoredPacket): Promise<void>
  cleanIncoming(client: ClientRef): Promise<void>
  getClientList(topic: string): Readable
  destroy(): Promise<void>
}

// CommonJS, and its .d.ts sits in types/ where TypeScript does not look for this subpath.
const require = createRequire(import.meta.url)
const AsyncMemoryPersistence = require('aedes-persistence/asyncPersistence.js') as new () => MemoryStore

export function createMemoryStore(): MemoryStore {
  return new AsyncMemoryPersistence()
}
