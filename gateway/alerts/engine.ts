/**
 * The alert engine: turns ConditionChanges into alerts with a lifecycle, and alerts into notification
 * intents. It owns no sockets, files or timers: the store is injected, time comes from the clock, and
 * the edge calls `tick()` from a timer for re-notification and escalation.
 *
 * Operations are serialised, so two reports for the same (rule, subject) arriving together can never
 * open two alerts.
 */
import type { Clock } from '../core/clock.ts'
import type { ConditionChange } from '../contract/conditions.ts'
import { defaultTiming, dueTimerAction, isMoreSevere, releaseAt, type TimingConfig } from './policy.ts'
import type { QuietHours } from './quietHours.ts'
import { channelsFor, escalationTargets, recipientsFor, type RoutingConfig } from './routing.ts'
import type { AlertStore } from './store.ts'
import type { Alert, AlertChange, AuditEntry, NotificationIntent, NotificationKind } from './types.ts'

export interface AlertEngineConfig {
  routing: RoutingConfig
  renotifyCriticalEveryMs?: number
  escalateCriticalAfterMs?: number
  quietHours?: QuietHours & { except: ConditionChange['severity'][] }
  /** Tell people when an alert they were told about is resolved (default true). */
  notifyResolved?: boolean
}

/** Where the engine's output goes: the notifier (outbox) and the retained `alerts/{id}` publisher. */
export interface AlertSink {
  notify(intent: NotificationIntent): void | Promise<void>
  change(change: AlertChange): void | Promise<void>
}

export interface AlertEngineOptions {
  store: AlertStore
  clock: Clock
  config: AlertEngineConfig
  sink: AlertSink
  newId?: () => string
}

export class AlertError extends Error {
  readonly code: 'not-found' | 'already-resolved'
  constructor(code: 'not-found' | 'already-resolved', message: string) {
    super(message)
    this.code = code
  }
}

export class AlertEngine {
  readonly #store: AlertStore
  readonly #clock: Clock
  readonly #sink: AlertSink
  readonly #routing: RoutingConfig
  readonly #timing: TimingConfig
  readonly #notifyResolved: boolean
  readonly #newId: () => string
  #queue: Promise<unknown> = Promise.resolve()

  constructor(opts: AlertEngineOptions) {
    this.#store = opts.store
    this.#clock = opts.clock
    this.#sink = opts.sink
    this.#routing = opts.config.routing
    this.#timing = {
      renotifyCriticalEveryMs: opts.config.renotifyCriticalEveryMs ?? defaultTiming.renotifyCriticalEveryMs,
      escalateCriticalAfterMs: opts.config.escalateCriticalAfterMs ?? defaultTiming.escalateCriticalAfterMs,
      ladderLength: opts.config.routing.ladder.length,
      quietHours: opts.config.quietHours,
    }
    this.#notifyResolved = opts.config.notifyResolved ?? true
    this.#newId = opts.newId ?? (() => crypto.randomUUID())
  }

  /** Feed one report from a rule. Returns the alert it opened, updated or resolved (if any). */
  onCondition(change: ConditionChange): Promise<Alert | undefined> {
    return this.#serial(async () => {
      const existing = await this.#store.findActive(change.rule, change.subject)
      if (!change.active) return existing && this.#clear(existing, change)
      return existing ? this.#repeat(existing, change) : this.#open(change)
    })
  }

  acknowledge(id: string, by: { who: string; note?: string }): Promise<Alert> {
    return this.#serial(async () => {
      const alert = await this.#mustBeActive(id)
      if (alert.status === 'acknowledged') return alert // a second tap on the staff page changes nothing
      const now = this.#clock.now()
      alert.status = 'acknowledged'
      alert.acknowledged = { by: by.who, at: now, note: by.note }
      await this.#commit(alert, [{ alertId: id, at: now, who: by.who, what: 'acknowledged', detail: by.note }])
      await this.#sink.change({ type: 'acknowledged', alert })
      return alert
    })
  }

  /** Close an alert by hand with the corrective action taken (HACCP wants it written down). */
  resolve(id: string, by: { who: string; correctiveAction: string; note?: string }): Promise<Alert> {
    return this.#serial(async () => {
      const alert = await this.#mustBeActive(id)
      const now = this.#clock.now()
      alert.status = 'resolved'
      alert.resolved = { by: by.who, at: now, how: 'manual', correctiveAction: by.correctiveAction, note: by.note }
      const detail = by.note ? `${by.correctiveAction} — ${by.note}` : by.correctiveAction
      await this.#commit(alert, [{ alertId: id, at: now, who: by.who, what: 'resolved', detail }])
      await this.#sink.change({ type: 'resolved', alert })
      await this.#notifyResolvedIfTold(alert, now)
      return alert
    })
  }

  /** Run re-notification and escalation timers. Call from a timer at the edge (e.g. every 15 s). */
  tick(now: number = this.#clock.now()): Promise<void> {
    return this.#serial(async () => {
      for (const alert of await this.#store.listActive()) {
        const action = dueTimerAction(alert, now, this.#timing)
        if (!action) continue
        if (action.kind === 'escalate') await this.#escalate(alert, action.toLevel, now)
        else await this.#renotify(alert, now)
      }
    })
  }

  async #open(change: ConditionChange): Promise<Alert> {
    const now = this.#clock.now()
    const alert: Alert = {
      id: this.#newId(),
      rule: change.rule,
      subject: change.subject,
      area: change.area,
      severity: change.severity,
      status: 'open',
      message: change.message,
      value: change.value,
      openedAt: change.at,
      lastSeenAt: now,
      occurrences: 1,
      escalationLevel: 0,
      lastNotifiedAt: now,
      // Timers run on the gateway clock, not the rule's `at`, so a late report does not escalate at once.
      criticalSince: change.severity === 'critical' ? now : undefined,
    }
    const detail = `${change.severity}${change.value === undefined ? '' : ` value=${change.value}`}`
    await this.#commit(alert, [{ alertId: alert.id, at: now, who: 'system', what: 'opened', detail }])
    await this.#sink.change({ type: 'opened', alert })
    await this.#emit(alert, 'new', recipientsFor(this.#routing, alert.area, 0), now)
    return alert
  }

  /** A repeat updates the one open alert; it only notifies again if the severity went up. */
  async #repeat(alert: Alert, change: ConditionChange): Promise<Alert> {
    const now = this.#clock.now()
    alert.value = change.value ?? alert.value
    alert.message = change.message
    alert.lastSeenAt = now
    alert.occurrences += 1
    const audit: AuditEntry[] = []
    const raised = isMoreSevere(change.severity, alert.severity)
    if (raised) {
      audit.push({ alertId: alert.id, at: now, who: 'system', what: 'severity-raised', detail: `${alert.severity} → ${change.severity}` })
      alert.severity = change.severity
      if (change.severity === 'critical') alert.criticalSince = now
      alert.lastNotifiedAt = now
    }
    await this.#commit(alert, audit)
    await this.#sink.change({ type: 'updated', alert })
    if (raised) await this.#emit(alert, 'renotify', recipientsFor(this.#routing, alert.area, alert.escalationLevel), now)
    return alert
  }

  async #clear(alert: Alert, change: ConditionChange): Promise<Alert> {
    const now = this.#clock.now()
    alert.status = 'resolved'
    alert.resolved = { by: 'system', at: change.at, how: 'condition-cleared', closingValue: change.value }
    const detail = change.value === undefined ? 'condition cleared' : `condition cleared, value=${change.value}`
    await this.#commit(alert, [{ alertId: alert.id, at: now, who: 'system', what: 'resolved', detail }])
    await this.#sink.change({ type: 'resolved', alert })
    await this.#notifyResolvedIfTold(alert, now)
    return alert
  }

  async #escalate(alert: Alert, toLevel: number, now: number): Promise<void> {
    const targets = escalationTargets(this.#routing, alert.area, toLevel)
    alert.escalationLevel = toLevel
    alert.lastNotifiedAt = now
    const role = this.#routing.ladder[toLevel] ?? String(toLevel)
    await this.#commit(alert, [{ alertId: alert.id, at: now, who: 'system', what: 'escalated', detail: `to ${role}` }])
    await this.#sink.change({ type: 'escalated', alert })
    if (targets.length > 0) await this.#emit(alert, 'escalated', targets, now)
  }

  async #renotify(alert: Alert, now: number): Promise<void> {
    alert.lastNotifiedAt = now
    await this.#commit(alert, [{ alertId: alert.id, at: now, who: 'system', what: 'renotified' }])
    await this.#emit(alert, 'renotify', recipientsFor(this.#routing, alert.area, alert.escalationLevel), now)
  }

  async #notifyResolvedIfTold(alert: Alert, now: number): Promise<void> {
    if (!this.#notifyResolved || alert.lastNotifiedAt === undefined) return
    await this.#emit(alert, 'resolved', recipientsFor(this.#routing, alert.area, alert.escalationLevel), now)
  }

  async #emit(alert: Alert, kind: NotificationKind, recipients: NotificationIntent['recipients'], now: number): Promise<void> {
    const channels = channelsFor(this.#routing, alert.area, recipients)
    if (channels.length === 0) return
    const notBefore = releaseAt(alert.severity, now, this.#timing)
    await this.#sink.notify({ alertId: alert.id, kind, alert: structuredClone(alert), recipients, channels, notBefore, at: now })
  }

  async #mustBeActive(id: string): Promise<Alert> {
    const alert = await this.#store.get(id)
    if (!alert) throw new AlertError('not-found', `no alert with id ${id}`)
    if (alert.status === 'resolved') throw new AlertError('already-resolved', `alert ${id} is already resolved`)
    return alert
  }

  #commit(alert: Alert, audit: AuditEntry[]): Promise<void> {
    return this.#store.commit(alert, audit)
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn)
    this.#queue = run.catch(() => undefined)
    return run
  }
}
