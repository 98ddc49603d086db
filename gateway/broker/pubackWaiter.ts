/**
 * The QoS 1 PUBACK of one reading, waiting for its commit. It keeps only what the PUBACK needs (the
 * client, the packet and aedes' callback): at 40k readings/s whatever waits for the disk outlives a
 * few scavenges, so one small object replaces closures over the whole hook (docs/performance.md).
 */
import type { Client, PublishPacket } from 'aedes'
import type { PersistWaiter } from '../ingest/durableSink.ts'
import type { StorageError } from '../store/errors.ts'
import type { DeferredAcks } from './deferredAcks.ts'

export class PubackWaiter implements PersistWaiter {
  readonly #client: Client
  readonly #packet: PublishPacket
  readonly #done: (err?: Error | null) => void
  readonly #deferred: DeferredAcks
  /** Set once the PUBACK is ours to send (see held()). */
  #settle: ((err?: Error) => void) | undefined

  constructor(client: Client, packet: PublishPacket, done: (err?: Error | null) => void, deferred: DeferredAcks) {
    this.#client = client
    this.#packet = packet
    this.#done = done
    this.#deferred = deferred
    // Earlier PUBACKs of this connection wait for storage: this one queues behind them, in order.
    if (deferred.has(client)) this.held()
  }

  committed(): void {
    if (this.#settle) this.#settle()
    else this.#done(null)
  }

  /** Not durable: no PUBACK. Closing the connection makes the device resend it after reconnecting. */
  failed(err: StorageError): void {
    if (this.#settle) this.#settle(err)
    else this.#done(err)
  }

  /** Storage is failing: let aedes read on (the device's next readings still reach the rules) and send this PUBACK ourselves once the reading is stored. */
  held(): void {
    if (this.#settle) return
    this.#settle = this.#deferred.defer(this.#client, this.#packet)
    this.#done(null)
  }
}
