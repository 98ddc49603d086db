/**
 * Composition root of the gateway process: starts the parts in order and stops them in reverse.
 * Constructors only store what they are given; I/O starts here.
 */
import { mkdirSync, watch, type FSWatcher } from 'node:fs'
import { registryOf } from './config/devices.ts'
import type { StoreConfig } from './config/schema.ts'
import type { Clock } from './core/clock.ts'
import { GatewayClock, systemClockSynced } from './core/gatewayClock.ts'
import { correctTimestamps, newestStoredTs } from './ingest/clockCorrection.ts'
import { EventBus } from './core/eventBus.ts'
import { createLogger, type Logger } from './core/log.ts'
import { startBroker, type BrokerHandle } from './broker/broker.ts'
import { DeviceStats } from './broker/deviceStats.ts'
import type { ReadingSink } from './broker/hooks.ts'
import { createMetrics, type Metrics } from './http/metrics.ts'
import { createHttp, type Health } from './http/server.ts'
import type { GatewayService } from './core/service.ts'
import type { SharedApis } from './core/apis.ts'
import { defaultServices } from './services.ts'
import { CredentialVerifier, readCredentials } from './security/credentials.ts'
import { startStorage, type StorageService } from './ingest/storageService.ts'
import { createSqlitePersistence } from './broker/persistence/sqlitePersistence.ts'
import { join } from 'node:path'
import { TOPIC_ROOT } from './contract/topics.ts'

export interface GatewayOptions {
  config: StoreConfig
  log?: Logger
  clock?: Clock
  /** Replaces the SQLite-backed durable sink (for tests of the broker alone). */
  sink?: ReadingSink
  /** aedes persistence; defaults to `<dataDir>/broker.db`, so retained messages and sessions survive restarts. */
  persistence?: unknown
  /** Where the default clock learns whether system time is synchronised (tests: a fake Pi clock). */
  clockSource?: { synced: () => boolean; wall?: () => number; pollMs?: number }
  /** Capabilities to run (default: gateway/services.ts). */
  services?: GatewayService[]
}

export interface Gateway {
  config: StoreConfig
  bus: EventBus
  metrics: Metrics
  stats: DeviceStats
  broker: BrokerHandle
  /** Undefined when a custom sink was given. */
  storage: StorageService | undefined
  ports: { mqtt: number; http: number; mqtts?: number; ws?: number }
  /** APIs the running services offer (alerts, shelves, cold, lockers). */
  shared: SharedApis
  health(): Health
  stop(): Promise<void>
}

export async function startGateway(opts: GatewayOptions): Promise<Gateway> {
  const { config } = opts
  // The default clock knows when the Pi's clock is not yet synchronised (no battery clock).
  const src = opts.clockSource
  const gatewayClock = opts.clock ? undefined : new GatewayClock({ synced: src?.synced ?? systemClockSynced(), ...(src?.wall ? { wall: src.wall } : {}) })
  const clock: Clock = opts.clock ?? (gatewayClock as GatewayClock)
  const log = (opts.log ?? createLogger(config.log.level)).child({ store: config.store.id })
  const started = Date.now()
  const stops: (() => Promise<void> | void)[] = []
  const stopAll = async () => {
    for (const stop of stops.reverse()) {
      try {
        await stop()
      } catch (err) {
        log.error({ err }, 'error while stopping')
      }
    }
  }

  try {
    mkdirSync(config.dataDir, { recursive: true, mode: 0o750 })
    const registry = registryOf(config)
    const bus = new EventBus((err, event) => log.error({ err, event }, `a listener of "${String(event)}" failed; the event was still delivered to the others`))
    const metrics = createMetrics()
    const stats = new DeviceStats()
    const verifier = new CredentialVerifier(readCredentials(config.dataDir).devices)
    let storageHealth: Health['storage'] = { healthy: true }
    bus.on('storageHealth', stats, (h) => {
      storageHealth = h.error === undefined ? { healthy: h.healthy } : { healthy: h.healthy, error: h.error }
    })

    const storage = opts.sink ? undefined : await startStorage({ config, clock, bus, metrics, log: log.child({ component: 'storage' }) })
    if (storage) stops.push(() => storage.stop())
    if (storage && gatewayClock && !gatewayClock.synced) {
      const newest = await newestStoredTs(storage.store.db)
      if (newest !== undefined) gatewayClock.raiseFloor(newest)
      log.warn({ estimate: new Date(clock.now()).toISOString() }, 'system clock is not synchronised yet: stamping readings from a monotonic estimate until it is')
    }
    if (storage && gatewayClock) {
      const clockTimer = setInterval(() => {
        const sync = gatewayClock.poll()
        if (!sync) return
        correctTimestamps(storage.store.db, sync).then(
          (fixed) => log.info({ offsetMs: sync.offsetMs, ...fixed }, `system clock synchronised: moved records of the unsynced period by ${Math.round(sync.offsetMs / 1000)} s`),
          (err: unknown) => log.error({ err, offsetMs: sync.offsetMs }, 'system clock synchronised, but correcting the records of the unsynced period failed'),
        )
      }, src?.pollMs ?? 5_000)
      stops.push(() => clearInterval(clockTimer))
    }

    // Retained messages, persistent sessions, queued commands and wills survive a restart.
    let persistence = opts.persistence
    if (persistence === undefined) {
      // The services republish state/ and alerts/ at every start: those retained topics stay in memory.
      const own = [`${TOPIC_ROOT}/${config.store.id}/state/`, `${TOPIC_ROOT}/${config.store.id}/alerts/`]
      const p = await createSqlitePersistence({ path: join(config.dataDir, 'broker.db'), volatileRetained: (t) => own.some((o) => t.startsWith(o)) })
      stops.push(() => p.destroy()) // after broker.close(): stops run in reverse
      persistence = p
    }

    const broker = await startBroker({
      config,
      registry,
      verifier,
      sink: opts.sink ?? (storage as StorageService).sink,
      bus,
      metrics,
      stats,
      log: log.child({ component: 'broker' }),
      clock,
      persistence,
    })
    stops.push(() => broker.close())

    // `shelfgate device add/revoke` edit the credentials file; pick the change up without a restart.
    const watcher: FSWatcher = watch(config.dataDir, (_event, name) => {
      if (name !== 'credentials.json') return
      try {
        const records = readCredentials(config.dataDir).devices
        verifier.replace(records)
        const dropped = broker.disconnectWhere((id) => !verifier.kindOf(id))
        log.info({ devices: Object.keys(records).length, disconnected: dropped }, 'device credentials reloaded')
      } catch (err) {
        log.error({ err }, 'could not reload device credentials; keeping the previous ones')
      }
    })
    stops.push(() => watcher.close())

    const health = (): Health => ({
      status: !broker.aedes.closed && storageHealth.healthy ? 'ok' : 'degraded',
      broker: { up: !broker.aedes.closed, clients: broker.aedes.connectedClients },
      storage: storageHealth,
      uptimeS: Math.round((Date.now() - started) / 1000),
    })
    const http = createHttp({ host: config.listeners.http.host, port: config.listeners.http.port, metrics, health })
    stops.push(() => http.close())

    const l = config.listeners.http
    const publicUrl = `http://${l.host === '0.0.0.0' || l.host === '::' ? '127.0.0.1' : l.host}:${l.port}`
    const shared: SharedApis = {}
    const ctx = { config, registry, bus, broker, store: storage?.store, http: http.app, metrics, stats, clock, log, shared, publicUrl }
    for (const service of opts.services ?? defaultServices) {
      const slog = log.child({ component: service.name })
      const running = await service.start({ ...ctx, log: slog })
      stops.push(async () => {
        bus.removeOwner(running)
        await running.stop()
      })
    }
    const httpPort = await http.listen()

    log.info({ mqtt: broker.ports.mqtt, http: httpPort, devices: registry.devices.size }, `Shelfgate gateway for ${config.store.name} is up`)
    return {
      config,
      bus,
      metrics,
      stats,
      broker,
      storage,
      shared,
      ports: { ...broker.ports, http: httpPort },
      health,
      stop: async () => {
        await stopAll()
        log.info('gateway stopped')
      },
    }
  } catch (err) {
    await stopAll()
    throw err
  }
}
