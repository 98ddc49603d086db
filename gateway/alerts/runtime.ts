/**
 * The alerts capability at run time: feeds the engine one operation at a time, commits each
 * operation's alert and notifications together, then publishes the changes (retained
 * `alerts/{id}`, live listeners) and kicks the dispatcher. Implements AlertsApi for the other services.
 */
import type { AlertsApi } from '../core/apis.ts'
import type { Logger } from '../core/log.ts'
import type { ConditionChange } from '../contract/conditions.ts'
import type { AlertBackends } from './backends.ts'
import type { Dispatcher } from './delivery/dispatcher.ts'
import type { AlertEngine } from './engine.ts'
import type { Lang } from './templates.ts'
import type { Alert, AlertChange } from './types.ts'
import { toView, type AlertViewI18n } from './view.ts'

export interface RuntimeDeps {
  backends: AlertBackends
  dispatcher: Dispatcher
  /** Publish retained (payload '' clears). */
  publish(topic: string, payload: string): Promise<void>
  topicPrefix: string
  lang: Lang
  timezone: string
  log: Logger
}

export class AlertsRuntime implements AlertsApi {
  readonly #d: RuntimeDeps
  #engine: AlertEngine | undefined
  readonly #changes: AlertChange[] = []
  readonly #listeners = new Set<(a: AlertViewI18n) => void>()
  #queue: Promise<unknown> = Promise.resolve()

  constructor(deps: RuntimeDeps) {
    this.#d = deps
  }

  /** The engine's sink `change` (collected, published after the commit). */
  collect(change: AlertChange): void {
    this.#changes.push(change)
  }

  attach(engine: AlertEngine): void {
    this.#engine = engine
  }

  onCondition(c: ConditionChange): Promise<unknown> {
    return this.#op((e) => e.onCondition(c))
  }

  tick(now?: number): Promise<unknown> {
    return this.#op((e) => e.tick(now))
  }

  /** Waits for queued operations (stop, tests). */
  async settle(): Promise<void> {
    await this.#queue
  }

  async list(opts: { status?: 'active' | 'all'; limit?: number } = {}): Promise<AlertViewI18n[]> {
    const limit = Math.min(Math.max(opts.limit ?? 200, 1), 1000)
    const alerts = opts.status === 'all' ? await this.#d.backends.store.listRecent(limit) : (await this.#d.backends.store.listActive()).slice(0, limit)
    return alerts.map((a) => this.view(a))
  }

  async get(id: string): Promise<AlertViewI18n | undefined> {
    const a = await this.#d.backends.store.get(id)
    return a && this.view(a)
  }

  async audit(id: string): Promise<{ at: number; who: string; what: string; detail?: string }[]> {
    return (await this.#d.backends.store.audit(id)).map(({ alertId: _, ...e }) => e)
  }

  async acknowledge(id: string, who: string, note?: string): Promise<AlertViewI18n> {
    return this.view(await this.#op((e) => e.acknowledge(id, { who, ...(note ? { note } : {}) })))
  }

  async resolve(id: string, who: string, correctiveAction: string): Promise<AlertViewI18n> {
    return this.view(await this.#op((e) => e.resolve(id, { who, correctiveAction })))
  }

  onChange(listener: (alert: AlertViewI18n) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  view(a: Alert): AlertViewI18n {
    return toView(a, this.#d.lang, this.#d.timezone)
  }

  /** After a restart: make the retained topics match the open alerts. */
  async republish(): Promise<void> {
    for (const a of await this.#d.backends.store.listActive()) await this.#publish({ type: 'updated', alert: a })
  }

  #op<T>(fn: (engine: AlertEngine) => Promise<T>): Promise<T> {
    const engine = this.#engine
    if (!engine) return Promise.reject(new Error('alerts runtime has no engine'))
    const run = this.#queue.then(async () => {
      this.#changes.length = 0
      let result: T
      try {
        result = await this.#d.backends.atomically(() => fn(engine))
      } catch (err) {
        this.#changes.length = 0
        throw err
      }
      const changes = this.#changes.splice(0)
      this.#d.dispatcher.tick()
      for (const c of changes) await this.#publish(c)
      return result
    })
    this.#queue = run.catch(() => undefined)
    return run
  }

  async #publish(c: AlertChange): Promise<void> {
    const view = this.view(c.alert)
    const topic = `${this.#d.topicPrefix}/alerts/${c.alert.id}`
    try {
      await this.#d.publish(topic, c.type === 'resolved' ? '' : JSON.stringify(view))
    } catch (err) {
      this.#d.log.error({ err, alert: c.alert.id }, 'could not publish the retained alert topic')
    }
    if (c.type !== 'updated') this.#d.log.info({ alert: c.alert.id, rule: c.alert.rule, subject: c.alert.subject, severity: c.alert.severity }, `alert ${c.type}`)
    for (const l of this.#listeners) {
      try {
        l(view)
      } catch (err) {
        this.#d.log.error({ err }, 'an alert listener failed')
      }
    }
  }
}
