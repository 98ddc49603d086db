/**
 * The one internal bus. Listeners are keyed by owner so a component's `stop()` removes all of its
 * listeners at once, and every listener is isolated: a throwing or rejecting listener is reported to
 * `onListenerError` and never reaches the emitter (which is often the broker's hot path).
 */
import type { ConditionChange } from '../contract/conditions.ts'
import type { Reading } from '../contract/readings.ts'
import type { RefusalReason } from '../contract/decode.ts'

export interface BusEvents {
  /** A reading accepted from any source, after it is durable (or queued, for QoS 0). */
  reading: Reading
  /** A device payload refused by the contract or the ACL. */
  refused: { device: string; topic: string; reason: RefusalReason; detail: string }
  deviceConnected: { device: string; clientId: string; remote: string }
  deviceDisconnected: { device: string; clientId: string }
  authFailed: { username: string; remote: string; why: 'unknown' | 'password' | 'revoked' | 'throttled' | 'client_id' }
  condition: ConditionChange
  storageHealth: { healthy: boolean; error?: string }
}

type Listener<T> = (payload: T) => void | Promise<void>

export class EventBus<E extends object = BusEvents> {
  readonly #listeners = new Map<keyof E, Map<object, Listener<never>[]>>()
  readonly #onError: (err: unknown, event: keyof E) => void

  constructor(onListenerError: (err: unknown, event: keyof E) => void = () => {}) {
    this.#onError = onListenerError
  }

  on<K extends keyof E>(event: K, owner: object, listener: Listener<E[K]>): void {
    let byOwner = this.#listeners.get(event)
    if (!byOwner) this.#listeners.set(event, (byOwner = new Map()))
    const list = byOwner.get(owner) ?? []
    list.push(listener as Listener<never>)
    byOwner.set(owner, list)
  }

  emit<K extends keyof E>(event: K, payload: E[K]): void {
    const byOwner = this.#listeners.get(event)
    if (!byOwner) return
    for (const list of byOwner.values()) {
      for (const l of list) {
        try {
          const r = (l as Listener<E[K]>)(payload)
          if (r instanceof Promise) r.catch((err: unknown) => this.#onError(err, event))
        } catch (err) {
          this.#onError(err, event)
        }
      }
    }
  }

  removeOwner(owner: object): void {
    for (const byOwner of this.#listeners.values()) byOwner.delete(owner)
  }

  listenerCount(event: keyof E): number {
    let n = 0
    for (const list of this.#listeners.get(event)?.values() ?? []) n += list.length
    return n
  }
}
