/**
 * The alerts service ('alerts'): validates `alerts` + `staff`, builds engine → notifier → outbox →
 * dispatcher → channels, listens to rule conditions on the bus, keeps retained
 * `shelfgate/{store}/alerts/{id}` in step, drives the timers, and offers `shared.alerts`.
 */
import { parseAlertsConfig, type AlertsConfig } from '../config/alertsConfig.ts'
import type { GatewayService, RunningService, ServiceContext } from '../core/service.ts'
import { alertBackends } from './backends.ts'
import { channelFromConfig, routeOf } from './channels/fromConfig.ts'
import type { Channel } from './channels/types.ts'
import { Dispatcher } from './delivery/dispatcher.ts'
import { AlertEngine } from './engine.ts'
import { Notifier } from './notifier.ts'
import type { RoutingConfig } from './routing.ts'
import { AlertsRuntime } from './runtime.ts'

export interface AlertsServiceOptions {
  /** Re-notify / escalation timers (default 15 s). */
  tickMs?: number
  /** Outbox drain for retries and held digests (default 1 s); new alerts are sent at once anyway. */
  dispatchMs?: number
  /** Replace the configured channels (tests). */
  channels?: Channel[]
}

export function routingOf(cfg: AlertsConfig): RoutingConfig {
  const ladder = [...new Set(['staff', cfg.alerts.escalation.to])]
  return {
    ladder,
    copyRoles: cfg.alerts.copyRoles,
    staff: cfg.staff.map((m, i) => ({
      id: m.username ?? `staff-${i + 1}`,
      name: m.name,
      role: m.role,
      ...(m.areas ? { areas: m.areas } : {}),
      ...(m.channels ? { channels: m.channels } : {}),
      ...(m.phone ? { mobile: m.phone.replace(/^\+86/, '') } : {}),
    })),
    channels: cfg.alerts.channels.map((c, i) => routeOf(c, cfg.channelNames[i] as string)),
  }
}

export function createAlertsService(opts: AlertsServiceOptions = {}): GatewayService {
  return { name: 'alerts', start: (ctx) => startAlerts(ctx, opts) }
}

export const alertsService: GatewayService = createAlertsService()

async function startAlerts(ctx: ServiceContext, opts: AlertsServiceOptions): Promise<RunningService> {
  const cfg = parseAlertsConfig(ctx.config)
  const { log, clock } = ctx
  const lang = ctx.config.store.language
  const timezone = ctx.config.store.timezone
  const backends = alertBackends(ctx.store)
  const channels = opts.channels ?? cfg.alerts.channels.map((c, i) => channelFromConfig(c, cfg.channelNames[i] as string))
  const dispatcher = new Dispatcher({
    outbox: backends.outbox,
    channels,
    clock,
    onEvent: (e) => {
      const level = e.type === 'dead' ? 'error' : e.type === 'sent' || e.type === 'merged' ? 'debug' : 'warn'
      log[level]({ channel: e.channel, entry: e.entryId, reason: e.reason }, `notification ${e.type}`)
    },
  })
  const notifier = new Notifier({ outbox: backends.outbox, lang, timezone, staffBaseUrl: cfg.alerts.staffPageUrl ?? ctx.publicUrl })
  const runtime = new AlertsRuntime({
    backends,
    dispatcher,
    publish: (topic, payload) => ctx.broker.publish(topic, payload, { retain: true, qos: 1 }),
    topicPrefix: `shelfgate/${ctx.config.store.id}`,
    lang,
    timezone,
    log,
  })
  const q = cfg.alerts.quietHours
  const engine = new AlertEngine({
    store: backends.store,
    clock,
    config: {
      routing: routingOf(cfg),
      escalateCriticalAfterMs: cfg.alerts.escalation.criticalUnackedMin * 60_000,
      renotifyCriticalEveryMs: cfg.alerts.escalation.renotifyMin * 60_000,
      notifyResolved: cfg.alerts.notifyResolved,
      ...(q ? { quietHours: { from: q.from, to: q.to, except: q.except, timezone } } : {}),
    },
    sink: { notify: (i) => notifier.notify(i), change: (c) => runtime.collect(c) },
  })
  runtime.attach(engine)

  const running: RunningService = { stop }
  const fail = (what: string) => (err: unknown) => log.error({ err }, what)
  ctx.bus.on('condition', running, (c) => {
    runtime.onCondition(c).catch(fail(`could not process condition ${c.rule} on ${c.subject}`))
  })
  await runtime.republish()
  const tickTimer = setInterval(() => void runtime.tick().catch(fail('alert timers failed')), opts.tickMs ?? 15_000)
  const dispatchTimer = setInterval(() => dispatcher.tick(), opts.dispatchMs ?? 1_000)
  dispatcher.tick() // anything left in the outbox from before a restart
  ctx.shared.alerts = runtime
  log.info({ channels: channels.map((c) => `${c.type}:${c.name}`), staff: cfg.staff.length, durable: backends.durable }, 'alerts started')

  async function stop(): Promise<void> {
    clearInterval(tickTimer)
    clearInterval(dispatchTimer)
    ctx.bus.removeOwner(running)
    if (ctx.shared.alerts === runtime) delete ctx.shared.alerts
    await runtime.settle()
    // A channel that hangs must not hold up shutdown; its entry stays pending and is retried at start.
    await Promise.race([dispatcher.idle(), new Promise((r) => setTimeout(r, 2_000).unref())])
  }
  return running
}
