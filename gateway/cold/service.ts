/**
 * The cold chain as a gateway capability: ColdChainRules fed with the durable cold readings from the
 * bus and ticked on one interval; rule output as 'condition' events; retained `state/cold/{unit}`;
 * HACCP excursion records in SQLite (opened, updated, closed); `ColdApi` for the staff page and REST.
 *
 * Restart: the unit monitors are pure and cannot be seeded, so they are rebuilt by replaying the
 * stored readings of the last `ttaWindowMin` (default 24 h: the time–temperature rule's window), or from
 * before the open excursion's start. Only the net condition changes of the replay reach the alert
 * engine. The snapshot supplies who acknowledged the open excursion and the corrective action.
 */
import type { ConditionChange } from '../contract/conditions.ts'
import type { Reading } from '../contract/readings.ts'
import { topics } from '../contract/topics.ts'
import type { ColdApi } from '../core/apis.ts'
import type { GatewayService, RunningService, ServiceContext } from '../core/service.ts'
import { coldSeverity, type ColdRule } from '../../devices/cold/coldConditions.ts'
import type { ColdUnitStatus } from '../../devices/cold/excursion.ts'
import { ColdChainRules } from '../rules/cold/coldChainRules.ts'
import { HaccpStore } from '../haccp/store.ts'
import type { ExcursionRecord } from '../haccp/records.ts'
import { StateSnapshots } from '../core/stateSnapshots.ts'
import { coldUnitsOf, resolvedUnitsOf } from './units.ts'
import { ColdUnitState, netConditions, type ColdSnapshot } from './unitState.ts'

export interface ColdServiceOptions {
  /** Rule timer period (ms, real time; the rules read ctx.clock). Default 1000. */
  tickMs?: number
  snapshotMs?: number
}

/** Extra operations beyond ColdApi, for the alert engine / staff page once ColdApi grows them. */
export interface ColdControl extends ColdApi {
  acknowledge(unit: string, by: string): void
  correctiveAction(unit: string, text: string): boolean
}

export function createColdChainService(opts: ColdServiceOptions = {}): GatewayService {
  return { name: 'cold', start: (ctx) => startCold(ctx, opts) }
}

export const coldChainService: GatewayService = createColdChainService()

const isCold = (r: Reading) => r.kind === 'cold.temp' || r.kind === 'cold.door' || r.kind === 'cold.defrost'

async function startCold(ctx: ServiceContext, opts: ColdServiceOptions): Promise<RunningService> {
  const { config, bus, broker, store, clock, log } = ctx
  const storeId = config.store.id
  const owner = {}
  const rules = new ColdChainRules({ clock, units: coldUnitsOf(config) }) // throws with every config error
  const units = resolvedUnitsOf(config)
  const states = new Map([...units.values()].map((u) => [u.id, new ColdUnitState(u, clock.now())]))
  const haccp = store ? new HaccpStore(store.db) : undefined
  const snapshots = new StateSnapshots({ store, clock, log, ...(opts.snapshotMs !== undefined ? { minIntervalMs: opts.snapshotMs } : {}) })
  /** Monitor start → start of the open HACCP row it continues after a restart. */
  const startAlias = new Map<string, number>()
  const published = new Map<string, string>()
  let tail: Promise<void> = Promise.resolve()
  const later = (what: string, work: () => Promise<void>) => {
    tail = tail.then(work).catch((err: unknown) => log.warn({ err }, `cold: ${what} failed`))
  }
  /** The monitors' status, with a replayed excursion shown under the start its HACCP row has. */
  const statusOf = () =>
    new Map(
      rules.status().map((s) => {
        const alias = s.excursion && startAlias.get(`${s.unit}|${s.excursion.start}`)
        return [s.unit, alias === undefined || alias === null || !s.excursion ? s : { ...s, excursion: { ...s.excursion, start: alias } }]
      }),
    )

  const saveExcursion = (x: ExcursionRecord) => {
    const unit = units.get(x.unit)
    if (!haccp || !unit) return
    const alias = startAlias.get(`${x.unit}|${x.start}`)
    const rec = alias === undefined ? x : { ...x, start: alias, durationMin: x.end === null ? 0 : (x.end - alias) / 60_000 }
    later('HACCP record', () => haccp.saveExcursion(rec, { limitC: unit.limits.maxC, probe: unit.probe }))
  }

  const publishState = (s: ColdUnitState, m: ColdUnitStatus, force = false) => {
    const key = s.stateKey(m)
    if (!force && published.get(s.unit.id) === key) return
    published.set(s.unit.id, key)
    const payload = s.statePayload(m)
    later('state publish', () => broker.publish(topics.state(storeId, `cold/${s.unit.id}`), payload, { retain: true, qos: 1 }))
  }

  /** After every input: conditions out, records saved, state published when it changed. */
  const settle = (changes: ConditionChange[], emit = true) => {
    if (emit) for (const c of changes) bus.emit('condition', c)
    for (const x of rules.takeRecords()) saveExcursion(x)
    const now = clock.now()
    for (const [id, m] of statusOf()) {
      const s = states.get(id)
      if (!s) continue
      const mine = changes.filter((c) => c.subject === `cold/${id}`)
      s.apply(mine, m, now)
      if (m.excursion !== null && mine.length) saveExcursion(m.excursion)
      publishState(s, m)
      snapshots.mark(`cold/${id}`, () => s.snapshot(statusOf().get(id) ?? m))
    }
  }

  let held: Reading[] | undefined = []
  bus.on('reading', owner, (r) => {
    if (!isCold(r)) return
    if (held) held.push(r)
    else settle(rules.handle(r))
  })

  // Restore: replay, then reconcile with the snapshot and the open HACCP rows.
  let lastReplayed = -Infinity
  if (store && haccp) {
    const saved = new Map((await store.listStates('cold/')).map((e) => [e.key, e.value as ColdSnapshot]))
    const replayed: ConditionChange[] = []
    const openRows = new Map<string, ExcursionRecord>()
    for (const u of units.values()) {
      const open = await haccp.openExcursion(u.id)
      if (open) openRows.set(u.id, open)
      const from = Math.min(clock.now() - u.limits.ttaWindowMin * 60_000, (open?.start ?? Infinity) - u.limits.trendWindowMin * 60_000)
      for (const r of await store.readings({ subject: `cold/${u.id}`, from })) {
        if (!isCold(r)) continue
        replayed.push(...rules.handle(r))
        lastReplayed = Math.max(lastReplayed, r.ts)
      }
    }
    const backlog = held
    held = undefined
    for (const r of backlog) if (r.ts > lastReplayed) replayed.push(...rules.handle(r))
    replayed.push(...rules.tick())
    const net = netConditions(replayed)
    const closed = rules.takeRecords()
    const m = statusOf()
    const now = clock.now()
    const toEmit = net.filter((c) => c.active)
    for (const u of units.values()) {
      const s = states.get(u.id)!
      const snap = saved.get(`cold/${u.id}`)
      if (snap?.v === 1) s.restore(snap)
      s.apply(net, m.get(u.id)!, now)
      // Alerts open before the restart whose condition no longer holds: clear them.
      for (const rule of Object.keys(snap?.active ?? {})) {
        if (s.active.has(rule) || !(rule in coldSeverity)) continue
        toEmit.push({
          rule, subject: `cold/${u.id}`, active: false, severity: coldSeverity[rule as ColdRule], area: u.area, at: now,
          message: { key: rule, params: { unit: u.id, name: u.name, limitC: u.limits.maxC } },
        })
      }
      const x = m.get(u.id)?.excursion ?? null
      const row = openRows.get(u.id)
      const prior = snap?.excursion ?? row
      if (x !== null && prior) {
        // Deadbanded rows may start the replayed excursion a little later than the live one did.
        if (row) startAlias.set(`${u.id}|${x.start}`, row.start)
        if (prior.acknowledgedBy) toEmit.push(...rules.acknowledge(u.id, prior.acknowledgedBy))
        if (prior.correctiveAction) rules.correctiveAction(u.id, prior.correctiveAction)
      } else if (row && x === null) {
        const replayClosed = closed.find((r) => r.unit === u.id && r.end !== null && r.end >= row.start)
        if (replayClosed) startAlias.set(`${u.id}|${replayClosed.start}`, row.start)
        else {
          const last = m.get(u.id)
          log.warn({ unit: u.id, start: row.start }, 'an excursion open before the restart is not in the replayed readings; closing its HACCP record at the last reading')
          later('HACCP record', () => haccp.saveExcursion({ ...row, end: Math.max(row.start, last?.lastReadingAt ?? now), closingReadingC: last?.lastC ?? null }, { limitC: u.limits.maxC, probe: u.probe }))
        }
      }
    }
    for (const x of closed) saveExcursion(x)
    for (const c of toEmit) bus.emit('condition', c)
    const after = statusOf()
    for (const s of states.values()) {
      const ms = after.get(s.unit.id)!
      if (ms.excursion) saveExcursion(ms.excursion)
      publishState(s, ms, true)
      snapshots.mark(`cold/${s.unit.id}`, () => s.snapshot(statusOf().get(s.unit.id) ?? ms))
    }
  } else {
    const backlog = held
    held = undefined
    for (const r of backlog) settle(rules.handle(r))
    for (const [id, m] of statusOf()) publishState(states.get(id)!, m, true)
  }

  let nextDue = rules.nextDueAt()
  const timer = setInterval(() => {
    const now = clock.now()
    if (nextDue !== null && now < nextDue) return
    settle(rules.tick())
    nextDue = rules.nextDueAt()
  }, opts.tickMs ?? 1000)
  timer.unref?.()
  // A reading moves the next due time; recompute after each one.
  bus.on('reading', owner, (r) => {
    if (isCold(r)) nextDue = rules.nextDueAt()
  })

  const api: ColdControl = {
    units: () => {
      const m = statusOf()
      return [...states.values()].map((s) => s.view(m.get(s.unit.id)!))
    },
    async history(unit, from, to) {
      const u = units.get(unit)
      if (!store || !u) return []
      const rows = await store.listRollups({ subject: `cold/${unit}`, metric: `temp.${u.probe}`, from, to })
      return rows.map((r) => ({ ts: r.minute, c: Math.round((r.sum / r.count) * 100) / 100, min: r.min, max: r.max }))
    },
    acknowledge(unit, by) {
      settle(rules.acknowledge(unit, by))
    },
    correctiveAction(unit, text) {
      const ok = rules.correctiveAction(unit, text)
      if (ok) settle([])
      return ok
    },
  }
  ctx.shared.cold = api

  // Staff act on alerts (staff page, API): an acknowledgement of a cold-chain alert acknowledges the
  // unit's excursion (it stops the re-alarm clock and goes into the HACCP record), and the corrective
  // action written when it is resolved is recorded with the excursion.
  const acted = new Map<string, string>()
  const unsubscribe = ctx.shared.alerts?.onChange((a) => {
    if (!a.rule.startsWith('cold.') || !a.subject.startsWith('cold/')) return
    const unit = a.subject.slice('cold/'.length)
    if (!units.has(unit)) return
    const key = `${a.id}|${a.status}`
    if (acted.has(key)) return
    if (a.status === 'acknowledged' && a.acknowledgedBy) {
      acted.set(key, a.acknowledgedBy)
      api.acknowledge(unit, a.acknowledgedBy)
      if (a.ackNote) api.correctiveAction(unit, a.ackNote)
    } else if (a.status === 'resolved' && a.correctiveAction) {
      acted.set(key, a.correctiveAction)
      if (a.acknowledgedBy === undefined && a.resolvedBy) api.acknowledge(unit, a.resolvedBy)
      api.correctiveAction(unit, a.correctiveAction)
    }
    if (acted.size > 1000) acted.clear()
  })
  log.info({ units: units.size, alertsLinked: unsubscribe !== undefined }, 'cold chain running')

  return {
    async stop() {
      clearInterval(timer)
      unsubscribe?.()
      bus.removeOwner(owner)
      await tail
      const m = statusOf()
      for (const s of states.values()) snapshots.mark(`cold/${s.unit.id}`, () => s.snapshot(m.get(s.unit.id)!))
      await snapshots.stop().catch((err: unknown) => log.warn({ err }, 'cold: could not write the final snapshots'))
    },
  }
}
