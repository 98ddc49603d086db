/**
 * Shelves as a gateway capability: one LaneTracker per configured lane, fed with the durable
 * `shelf.weight` readings from the bus. Publishes retained `state/shelf/{shelf}/{lane}`, publishes and
 * stores `events/shelf/{shelf}/{lane}` (pick, put, misplaced …), emits rule output as 'condition'
 * events, ticks the time-based rules on one interval, and snapshots each lane for restart recovery.
 */
import { readingSubject, type ShelfWeightReading } from '../contract/readings.ts'
import { topics } from '../contract/topics.ts'
import type { ShelvesApi } from '../core/apis.ts'
import type { GatewayService, RunningService, ServiceContext } from '../core/service.ts'
import type { ShelfEvent } from '../../devices/shelf/events.ts'
import { LaneTracker, type LaneSnapshot } from './laneTracker.ts'
import { StateSnapshots } from '../core/stateSnapshots.ts'
import { EventBatch } from '../store/eventBatch.ts'

export interface ShelvesServiceOptions {
  /** Rule timer period (ms, real time; the rules read ctx.clock). Default 1000. */
  tickMs?: number
  /** Snapshot throttle per lane (ms). Default 5 minutes (DEFAULT_SNAPSHOT_INTERVAL_MS). */
  snapshotMs?: number
  /** Longest a pick or put waits to be written with others (ms). Default 30,000. */
  eventBatchMs?: number
}

export const snapshotKey = (subject: string) => subject // 'shelf/A1/L1'

export function createShelvesService(opts: ShelvesServiceOptions = {}): GatewayService {
  return { name: 'shelves', start: (ctx) => startShelves(ctx, opts) }
}

export const shelvesService: GatewayService = createShelvesService()

async function startShelves(ctx: ServiceContext, opts: ShelvesServiceOptions): Promise<RunningService> {
  const { config, bus, broker, store, clock, log } = ctx
  const storeId = config.store.id
  const owner = {}
  const lanes = new Map<string, LaneTracker>()
  for (const shelf of config.shelves) for (const lane of shelf.lanes) {
    const t = new LaneTracker(shelf, lane)
    lanes.set(t.subject, t)
  }
  // Events are batched (store/eventBatch.ts); a snapshot is written only after the events before it.
  const eventBatch = store ? new EventBatch({ store, log, ...(opts.eventBatchMs !== undefined ? { maxDelayMs: opts.eventBatchMs } : {}) }) : undefined
  const snapshots = new StateSnapshots({
    store, clock, log,
    ...(opts.snapshotMs !== undefined ? { minIntervalMs: opts.snapshotMs } : {}),
    ...(eventBatch ? { beforeWrite: () => eventBatch.flush() } : {}),
  })
  const published = new Map<string, string>()
  let tail: Promise<void> = Promise.resolve()
  /** Broker and SQLite work in arrival order, off the bus listener. */
  const later = (what: string, work: () => Promise<void>) => {
    tail = tail.then(work).catch((err: unknown) => log.warn({ err }, `shelves: ${what} failed`))
  }

  const publishState = (t: LaneTracker, force = false) => {
    const key = t.stateKey()
    if (!force && published.get(t.subject) === key) return
    published.set(t.subject, key)
    const payload = t.statePayload()
    later('state publish', () => broker.publish(topics.state(storeId, t.subject), payload, { retain: true, qos: 1 }))
  }

  /** While replaying stored readings after a restart: events that reached the disk before are not published again. */
  let replaying = false
  const record = (t: LaneTracker, events: ShelfEvent[]) => {
    for (const e of events) {
      const data = { ...e, shelf: t.shelf, lane: t.lane.id, name: t.lane.name, sku: t.lane.sku }
      const input = { ts: e.at, type: e.type, subject: t.subject, data, dedupeKey: `${t.subject}|${e.type}|${e.at}` }
      if (replaying) {
        later('event', async () => {
          // The dedupe key makes a replay after a restart store (and publish) an event once.
          if (await store?.appendEvent(input)) await broker.publish(topics.events(storeId, t.subject), data, { qos: 1 })
        })
        continue
      }
      eventBatch?.add(input)
      later('event', () => broker.publish(topics.events(storeId, t.subject), data, { qos: 1 }))
    }
  }

  const handle = (r: ShelfWeightReading) => {
    const t = lanes.get(readingSubject(r))
    if (!t) return
    const { events, conditions } = t.push(r)
    for (const c of conditions) bus.emit('condition', c)
    record(t, events)
    // State and snapshots follow on the next tick: at 2–10 Hz per lane, once a second is plenty.
    dirty.add(t)
  }
  const dirty = new Set<LaneTracker>()

  // Listen before restoring so nothing that arrives meanwhile is lost; hold it until the replay is done.
  let held: ShelfWeightReading[] | undefined = []
  bus.on('reading', owner, (r) => {
    if (r.kind !== 'shelf.weight') return
    if (held) held.push(r)
    else handle(r)
  })

  if (store) {
    const saved = new Map((await store.listStates('shelf/')).map((s) => [s.key, s.value as LaneSnapshot]))
    for (const t of lanes.values()) {
      const s = saved.get(snapshotKey(t.subject))
      if (s?.v === 1) t.restore(s)
      const from = s?.lastReadingAt == null ? clock.now() - 60_000 : s.lastReadingAt + 1
      replaying = true
      for (const r of await store.readings({ subject: t.subject, from })) if (r.kind === 'shelf.weight') handle(r)
      replaying = false
    }
  }
  const backlog = held
  held = undefined
  for (const r of backlog) {
    const t = lanes.get(readingSubject(r))
    if (t && (t.lastReadingAt === null || r.ts > t.lastReadingAt)) handle(r)
  }
  for (const t of lanes.values()) {
    for (const c of t.tick(clock.now())) bus.emit('condition', c)
    publishState(t, true) // republish retained state after a restart
  }

  const timer = setInterval(() => {
    const now = clock.now()
    for (const t of lanes.values()) {
      const changes = t.tick(now)
      for (const c of changes) bus.emit('condition', c)
      if (changes.length || dirty.has(t)) snapshots.mark(t.subject, () => t.snapshot())
      publishState(t)
    }
    dirty.clear()
  }, opts.tickMs ?? 1000)
  timer.unref?.()

  const api: ShelvesApi = { lanes: () => [...lanes.values()].map((t) => t.view()) }
  ctx.shared.shelves = api
  log.info({ lanes: lanes.size }, 'shelves running')

  return {
    async stop() {
      clearInterval(timer)
      bus.removeOwner(owner)
      await tail
      for (const t of lanes.values()) snapshots.mark(t.subject, () => t.snapshot())
      await snapshots.stop().catch((err: unknown) => log.warn({ err }, 'shelves: could not write the final snapshots'))
      await eventBatch?.flush()
    },
  }
}
