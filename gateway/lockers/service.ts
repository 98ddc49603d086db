/**
 * Pickup lockers as a gateway capability: the LockerModel fed with `locker.event` readings, REST
 * endpoints for group-buy orders (routes.ts), unlock commands on `cmd/locker/{locker}/{slot}/unlock`,
 * retained `state/locker/{locker}/{slot}`, stored and published `events/locker/{locker}/{slot}`,
 * audited staff overrides, locker rule output as 'condition' events, and restart recovery.
 *
 * Orders and codes are written to latest_state before the API answers: a customer holding a code must
 * be able to use it after a power cut. Door and occupancy changes are snapshotted throttled and
 * replayed from the stored readings after a restart.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { LockerEventReading } from '../contract/readings.ts'
import { topics } from '../contract/topics.ts'
import type { GatewayService, RunningService, ServiceContext } from '../core/service.ts'
import { PickupCodes } from '../../devices/locker/pickupCodes.ts'
import { LockerModel, type Effects, type LockerSnapshot, type OpError } from './lockerModel.ts'
import { registerLockerRoutes, type LockerOps, type LockerRouteOptions } from './routes.ts'
import { lockerSecret } from './secret.ts'
import { StateSnapshots } from '../core/stateSnapshots.ts'

export interface LockersServiceOptions extends LockerRouteOptions {
  /** Rule / deadline timer period (ms, real time; the model reads ctx.clock). Default 1000. */
  tickMs?: number
  snapshotMs?: number
  /** Locker rule timings (door ajar, unlock failed …), for tests and unusual hardware. */
  rules?: { doorAjarMs?: number; unlockOpenWithinMs?: number; unlockAuthorisesMs?: number }
}

export function createLockersService(opts: LockersServiceOptions = {}): GatewayService {
  return { name: 'lockers', start: (ctx) => startLockers(ctx, opts) }
}

export const lockersService: GatewayService = createLockersService()

async function startLockers(ctx: ServiceContext, opts: LockersServiceOptions): Promise<RunningService> {
  const { config, bus, broker, store, clock, log } = ctx
  const storeId = config.store.id
  const owner = {}
  const codes = new PickupCodes({ secret: lockerSecret(config.dataDir), clock })
  const model = new LockerModel({ lockers: config.lockers, clock, codes, ...(opts.rules ? { rules: opts.rules } : {}) })
  const snapshots = new StateSnapshots({ store, clock, log, ...(opts.snapshotMs !== undefined ? { minIntervalMs: opts.snapshotMs } : {}) })
  const deviceOf = new Map(config.lockers.filter((k) => k.device).map((k) => [k.device as string, k.id]))
  const published = new Map<string, string>()
  let tail: Promise<void> = Promise.resolve()
  const later = (what: string, work: () => Promise<void>) => {
    tail = tail.then(work).catch((err: unknown) => log.warn({ err }, `lockers: ${what} failed`))
  }

  const publishStates = (locker: string, force = false) => {
    const count = config.lockers.find((k) => k.id === locker)?.compartments.count ?? 0
    for (let slot = 1; slot <= count; slot++) {
      const payload = model.slotPayload(locker, slot)
      const key = JSON.stringify(payload)
      const path = `locker/${locker}/${slot}`
      if (!force && published.get(path) === key) continue
      published.set(path, key)
      later('state publish', () => broker.publish(topics.state(storeId, path), payload, { retain: true, qos: 1 }))
    }
  }

  /** Carries out what the model decided; resolves when the durable parts are written. */
  const effect = (fx: Effects, actor?: string): Promise<void> => {
    for (const c of fx.conditions) bus.emit('condition', c)
    for (const e of fx.events) {
      const path = `locker/${e.locker}/${e.slot}`
      later('event', async () => {
        const fresh = store ? await store.appendEvent({ ts: e.at, type: e.type, subject: path, data: e, dedupeKey: `${path}|${e.type}|${e.at}|${e.orderId ?? ''}` }) : true
        if (fresh) await broker.publish(topics.events(storeId, path), e, { qos: 1 })
      })
    }
    for (const u of fx.unlocks) {
      const payload = { slot: u.slot, at: u.at, by: u.reason.by }
      log.info({ locker: u.locker, slot: u.slot, by: u.reason.by }, 'unlock')
      later('unlock command', () => broker.publish(topics.cmd(storeId, 'locker', u.locker, `${u.slot}/unlock`), payload, { qos: 1 }))
    }
    for (const a of fx.audit) {
      later('audit', async () => {
        await store?.appendAudit({ at: a.at, actor: a.who, action: `locker.${a.action}`, target: `locker/${a.locker}/${a.slot}`, details: { why: a.why } })
      })
    }
    for (const locker of fx.changed) {
      publishStates(locker)
      snapshots.mark(`locker/${locker}`, () => model.snapshot(locker))
    }
    const done = tail
    // An operation someone was told about (a code, a deposit) is on disk before the API answers.
    if (actor !== undefined && fx.changed.size) {
      return done.then(async () => {
        for (const locker of fx.changed) await snapshots.writeNow(`locker/${locker}`, model.snapshot(locker))
      })
    }
    return done
  }

  const audit = (actor: string, action: string, target: string, details?: unknown) =>
    later('audit', async () => {
      await store?.appendAudit({ at: clock.now(), actor, action, target, ...(details !== undefined ? { details } : {}) })
    })

  let held: LockerEventReading[] | undefined = []
  bus.on('reading', owner, (r) => {
    if (r.kind !== 'locker.event') return
    if (held) held.push(r)
    else void effect(model.reading(r))
  })
  // Refrigerated compartments (coldUnits[].locker): while the zone's cold-chain excursion is open,
  // every loaded compartment in it is at risk, and staff need to know which orders.
  const zoneOf = new Map(config.coldUnits.filter((u) => u.locker).map((u) => [`cold/${u.id}`, { unit: u, locker: u.locker!.id, slots: u.locker!.slots }]))
  const zoneActive = new Map<string, Set<number>>()
  bus.on('condition', owner, (c) => {
    const zone = zoneOf.get(c.subject)
    if (!zone || !c.rule.startsWith('cold.excursion')) return
    const now = clock.now()
    const was = zoneActive.get(c.subject) ?? new Set<number>()
    const at = c.active
      ? new Set(zone.slots.filter((slot) => ['loaded', 'overdue'].includes(model.slotPayload(zone.locker, slot)?.state ?? '')))
      : new Set<number>()
    zoneActive.set(c.subject, at)
    for (const slot of new Set([...was, ...at])) {
      const active = at.has(slot)
      if (active === was.has(slot) && !active) continue
      const view = model.slotPayload(zone.locker, slot)
      bus.emit('condition', {
        rule: 'locker.compartment_temperature',
        subject: `locker/${zone.locker}/${slot}`,
        active,
        severity: c.severity === 'critical' ? 'critical' : 'warning',
        area: 'lockers',
        at: now,
        message: { key: 'locker.compartment_temperature', params: { locker: zone.locker, slot, unit: zone.unit.name, orderId: view?.orderId ?? '', value: c.value ?? '' } },
        ...(c.value !== undefined ? { value: c.value } : {}),
      })
    }
  })

  bus.on('deviceConnected', owner, (d) => {
    const locker = deviceOf.get(d.device)
    if (locker && model.setOnline(locker, true)) publishStates(locker)
  })
  bus.on('deviceDisconnected', owner, (d) => {
    const locker = deviceOf.get(d.device)
    if (locker) model.setOnline(locker, false)
  })

  if (store) {
    const saved = new Map((await store.listStates('locker/')).map((e) => [e.key, e.value as LockerSnapshot]))
    for (const locker of model.lockerIds()) {
      const snap = saved.get(`locker/${locker}`)
      const fx: Effects = { conditions: [], events: [], unlocks: [], audit: [], changed: new Set() }
      if (snap?.v === 1) fx.conditions.push(...model.restore(locker, snap))
      const from = snap?.lastReadingAt == null ? clock.now() - 60_000 : snap.lastReadingAt + 1
      for (const r of await store.readings({ from })) {
        if (r.kind !== 'locker.event' || r.locker !== locker) continue
        const step = model.reading(r)
        fx.conditions.push(...step.conditions)
        fx.events.push(...step.events)
      }
      await effect(fx)
    }
  }
  const backlog = held
  held = undefined
  for (const r of backlog) {
    const last = model.lastReadingAt(r.locker)
    if (last === null || r.ts > last) await effect(model.reading(r))
  }
  await effect(model.tick())
  for (const locker of model.lockerIds()) publishStates(locker, true)

  const timer = setInterval(() => void effect(model.tick()), opts.tickMs ?? 1000)
  timer.unref?.()

  const deadlineFor = (locker: string, tempClass: 'ambient' | 'chilled' | 'frozen') =>
    clock.now() + (config.lockers.find((k) => k.id === locker)?.pickupDeadlineHours[tempClass] ?? 24) * 3600_000

  const ops: LockerOps = {
    lockers: () => model.views(),
    async createOrder(input) {
      const deadline = input.deadline ?? deadlineFor(input.locker, input.tempClass)
      const r = model.createOrder({ locker: input.locker, orderId: input.orderId, tempClass: input.tempClass, deadline, ...(input.slot !== undefined ? { slot: input.slot } : {}) })
      await effect(r.effects, input.actor)
      if (!r.ok) return failure(r)
      audit(input.actor, 'locker.order_created', `locker/${input.locker}/${r.slot}`, { orderId: input.orderId })
      return { ok: true, slot: r.slot, code: r.code, expiresAt: r.expiresAt, deadline }
    },
    async deposit(locker, orderId, actor) {
      const r = model.deposit(locker, orderId)
      await effect(r.effects, actor)
      if (!r.ok) return failure(r)
      audit(actor, 'locker.deposit', `locker/${locker}/${r.slot}`, { orderId })
      return { ok: true, slot: r.slot, dueAt: r.dueAt }
    },
    async pickup(locker, code) {
      const r = model.pickup(locker, code)
      await effect(r.effects, 'customer')
      if (!r.ok) return failure(r)
      return { ok: true, slot: r.slot, orderId: r.orderId }
    },
    async staffOpen(input) {
      const r = model.staffOpen(input)
      await effect(r.effects, input.who)
      return r.ok ? { ok: true } : failure(r)
    },
    async release(locker, slot, who) {
      const r = model.release(locker, slot)
      await effect(r.effects, who)
      if (!r.ok) return failure(r)
      audit(who, 'locker.release', `locker/${locker}/${slot}`)
      return { ok: true }
    },
  }
  // Staff and courier routes need a staff login; the customer's pickup by code stays open.
  const staffGuard =
    opts.staffGuard ??
    (async (req: FastifyRequest, reply: FastifyReply) => {
      const auth = ctx.shared.staffAuth
      if (!auth) return reply.code(503).send({ error: 'staff_login_unavailable', message: 'the staff page service is not running, so staff routes are closed' })
      const session = auth.guard(req, reply, { act: true })
      if (!session) return reply
      ;(req as FastifyRequest & { staffUser?: string }).staffUser = session.username
    })
  const actorOf = opts.actorOf ?? ((req: unknown) => (req as { staffUser?: string }).staffUser ?? 'api')
  registerLockerRoutes(ctx.http, ops, { ...opts, staffGuard, actorOf })
  ctx.shared.lockers = ops
  log.info({ lockers: model.lockerIds().length }, 'lockers running')

  return {
    async stop() {
      clearInterval(timer)
      bus.removeOwner(owner)
      await tail
      for (const locker of model.lockerIds()) snapshots.mark(`locker/${locker}`, () => model.snapshot(locker))
      await snapshots.stop().catch((err: unknown) => log.warn({ err }, 'lockers: could not write the final snapshots'))
    },
  }
}

/** The refusal without the model's effects (those are for the service, not the client). */
function failure(r: OpError): OpError {
  return { ok: false, status: r.status, reason: r.reason, message: r.message, ...(r.retryAt !== undefined ? { retryAt: r.retryAt } : {}) }
}
