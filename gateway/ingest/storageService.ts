/**
 * Storage as the gateway runs it: the SQLite file in the data dir, group commit behind the broker's
 * PUBACK, the deadband primed from what is already stored, 1-minute rollups, hourly retention, and
 * a critical "storage failure" condition while writes fail.
 */
import { join } from 'node:path'
import type { StoreConfig } from '../config/schema.ts'
import type { Clock } from '../core/clock.ts'
import type { EventBus } from '../core/eventBus.ts'
import type { Logger } from '../core/log.ts'
import type { Metrics } from '../http/metrics.ts'
import { channelKey, Deadband } from '../store/deadband.ts'
import { coldUnitsOf } from '../cold/units.ts'
import { resolveColdUnit } from '../../devices/cold/limits.ts'
import { GroupCommitter, type StoreHealth } from '../store/groupCommit.ts'
import { prune } from '../store/retention.ts'
import { RollupAggregator } from '../store/rollups.ts'
import type { Rollup } from '../store/types.ts'
import { openSqliteStore, type SqliteStore } from '../store/sqliteStore.ts'
import { DurableSink } from './durableSink.ts'

export interface StorageService {
  store: SqliteStore
  sink: DurableSink
  committer: GroupCommitter
  stop(): Promise<void>
}

export interface StorageDeps {
  config: StoreConfig
  clock: Clock
  bus: EventBus
  metrics: Metrics
  log: Logger
}

export const DATABASE_FILE = 'shelfgate.db'

const PRUNE_EVERY_MS = 3600_000

/** Each cold unit's holding limit on the probe its rules watch: a raw row marks every crossing. */
function coldLimits(config: StoreConfig): Record<string, number> {
  const limits: Record<string, number> = {}
  for (const u of coldUnitsOf(config)) {
    const resolved = resolveColdUnit(u)
    // A unit the cold-chain service will refuse gets no limit here; the service reports it.
    if (resolved.ok) limits[channelKey(`cold/${u.id}`, 'cold.temp', resolved.unit.probe)] = resolved.unit.limits.maxC
  }
  return limits
}

/**
 * A lane's weight band scales with what it sells: a fifth of an item, between the configured floor
 * and 10 g, so scale noise is never stored but any pick or put is (in counts for raw-count lanes).
 */
function laneBands(config: StoreConfig): Record<string, number> {
  const floor = config.storage.deadband.shelfGrams
  const bands: Record<string, number> = {}
  for (const shelf of config.shelves) {
    for (const lane of shelf.lanes) {
      const grams = Math.min(10, Math.max(floor, lane.unitWeight * 0.2))
      bands[channelKey(`shelf/${shelf.id}/${lane.id}`, 'shelf.weight')] = lane.calibration ? grams * Math.abs(lane.calibration.countsPerGram) : grams
    }
  }
  return bands
}

export async function startStorage({ config, clock, bus, metrics, log }: StorageDeps): Promise<StorageService> {
  const path = join(config.dataDir, DATABASE_FILE)
  const store = await openSqliteStore(path)
  const s = config.storage
  const owner = {}

  const onHealthChange = (h: StoreHealth) => {
    const error = h.lastError ? `${h.lastError.code}: ${h.lastError.message}` : undefined
    metrics.storageHealthy.set(h.healthy ? 1 : 0)
    bus.emit('storageHealth', error === undefined || h.healthy ? { healthy: h.healthy } : { healthy: false, error })
    bus.emit('condition', {
      rule: 'system.storage_failure',
      subject: 'system/storage',
      active: !h.healthy,
      severity: 'critical',
      area: 'system',
      at: clock.now(),
      message: { key: 'system.storage_failure', params: { file: path, error: error ?? '' } },
    })
    if (h.healthy) log.info({ file: path }, 'storage recovered: readings are being stored and acknowledged again')
    else log.error({ file: path, errorCode: h.lastError?.code, err: h.lastError?.message }, `storage failure on ${path}: readings are kept in memory and not acknowledged until it recovers`)
  }
  metrics.storageHealthy.set(1)

  const committer = new GroupCommitter({
    target: store,
    maxDelayMs: s.groupCommitMs,
    maxRows: s.groupCommitRows,
    maxBatchRows: s.groupCommitMaxRows,
    onHealthChange,
    // Once per batch, not per reading: the longest PUBACK wait in it.
    onCommitted: (_rows, oldestWaitMs) => metrics.commitSeconds.observe(oldestWaitMs / 1000),
  })
  const deadband = new Deadband({
    shelfGrams: s.deadband.shelfGrams,
    shelfRawCounts: s.deadband.shelfRawCounts,
    coldC: s.deadband.coldC,
    heartbeatMs: s.deadband.heartbeatMin * 60_000,
    perChannel: laneBands(config),
    limits: coldLimits(config),
  })
  // After a restart, continue the deadband from what is on disk instead of storing everything again.
  deadband.prime(await store.readings({ from: clock.now() - s.deadband.heartbeatMin * 60_000 }))
  let seen = { batches: 0, rows: 0 }
  const statsTimer = setInterval(() => {
    const st = committer.stats
    metrics.storageCommits.inc(st.batches - seen.batches)
    metrics.storageRows.inc(st.rows - seen.rows)
    seen = { batches: st.batches, rows: st.rows }
  }, 1000)
  const sink = new DurableSink({ committer, deadband, onHeldChange: (n) => metrics.storageHeld.set(n) })

  const rollups = new RollupAggregator()
  let closedMinutes: Rollup[] = []
  bus.on('reading', owner, (r) => {
    const closed = rollups.addReading(r)
    if (closed.length) closedMinutes.push(...closed)
  })
  const flushRollups = async (all = false) => {
    const batch = closedMinutes.concat(all ? rollups.closeAll() : rollups.closeUntil(clock.now()))
    closedMinutes = []
    if (batch.length === 0) return
    try {
      await store.writeRollups(batch, clock.now())
    } catch (err) {
      closedMinutes = batch.concat(closedMinutes)
      throw err
    }
  }
  const rollupTimer = setInterval(() => flushRollups().catch((err: unknown) => log.warn({ err }, 'could not write rollups; retrying')), s.rollupFlushMin * 60_000)

  const runPrune = () =>
    prune(store.db, clock.now(), { rawDays: s.retention.rawDays, recordsDays: s.retention.recordsDays, sentOutboxDays: s.retention.sentOutboxDays }).then(
      (r) => log.debug({ deleted: r }, 'retention pruning done'),
      (err: unknown) => log.warn({ err }, 'retention pruning failed; will try again in an hour'),
    )
  const pruneTimer = setInterval(runPrune, PRUNE_EVERY_MS)
  void runPrune()

  return {
    store,
    sink,
    committer,
    async stop() {
      clearInterval(rollupTimer)
      clearInterval(statsTimer)
      clearInterval(pruneTimer)
      bus.removeOwner(owner)
      sink.close()
      await committer.close().catch(() => {})
      await flushRollups(true).catch(() => {})
      await store.close()
    },
  }
}
