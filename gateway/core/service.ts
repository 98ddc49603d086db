/**
 * A gateway capability (shelf processing, cold chain, lockers, alerts, staff page …) as a service
 * the composition root starts in order and stops in reverse. A service gets one context object; it
 * registers bus listeners under its own owner and HTTP routes before the server listens.
 */
import type { FastifyInstance } from 'fastify'
import type { BrokerHandle } from '../broker/broker.ts'
import type { DeviceStats } from '../broker/deviceStats.ts'
import type { Registry } from '../config/devices.ts'
import type { StoreConfig } from '../config/schema.ts'
import type { Metrics } from '../http/metrics.ts'
import type { SqliteStore } from '../store/sqliteStore.ts'
import type { SharedApis } from './apis.ts'
import type { Clock } from './clock.ts'
import type { EventBus } from './eventBus.ts'
import type { Logger } from './log.ts'

export interface ServiceContext {
  config: StoreConfig
  registry: Registry
  bus: EventBus
  /** Publishes as the gateway (state/, events/, alerts/, cmd/). */
  broker: BrokerHandle
  /** The gateway's SQLite store; undefined only in broker-only tests that replace the sink. */
  store: SqliteStore | undefined
  /** Register routes here; the server starts listening after every service has started. */
  http: FastifyInstance
  metrics: Metrics
  stats: DeviceStats
  clock: Clock
  log: Logger
  /** In-process APIs services offer each other; a service sets its own key at start. */
  shared: SharedApis
  /** Language and staff-page base URL for messages. */
  publicUrl: string
}

export interface RunningService {
  stop(): Promise<void> | void
}

export interface GatewayService {
  /** Short name for logs, e.g. 'alerts'. */
  name: string
  start(ctx: ServiceContext): Promise<RunningService> | RunningService
}
