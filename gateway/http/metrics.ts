/** Prometheus metrics for /metrics. One registry per gateway instance, so tests can run several. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

export function createMetrics() {
  const registry = new Registry()
  // Readings are counted in a plain map and handed to prom-client at scrape time: at 40k readings/s
  // a labelled counter's inc() per reading showed up in the broker thread's profile.
  const pendingReadings = new Map<string, number>()
  // process_resident_memory_bytes, nodejs_eventloop_lag_*, heap, GC ...
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 })
  return {
    registry,
    devicesConnected: new Gauge({ name: 'shelfgate_devices_connected', help: 'Devices with an open MQTT connection', registers: [registry] }),
    readings: new Counter({
      name: 'shelfgate_readings_total',
      help: 'Readings accepted, by kind',
      labelNames: ['kind'] as const,
      registers: [registry],
      collect() {
        for (const [kind, n] of pendingReadings) this.inc({ kind }, n)
        pendingReadings.clear()
      },
    }),
    /** One accepted reading of this kind (see shelfgate_readings_total). */
    countReading(kind: string): void {
      pendingReadings.set(kind, (pendingReadings.get(kind) ?? 0) + 1)
    },
    refused: new Counter({
      name: 'shelfgate_refused_payloads_total',
      help: 'Device publishes refused by the topic contract or ACL, by reason',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    authFailures: new Counter({ name: 'shelfgate_auth_failures_total', help: 'Refused MQTT logins, by cause', labelNames: ['why'] as const, registers: [registry] }),
    rateLimited: new Counter({ name: 'shelfgate_rate_limited_total', help: 'Publishes delayed or dropped by the per-client rate limit', labelNames: ['action'] as const, registers: [registry] }),
    storageHealthy: new Gauge({ name: 'shelfgate_storage_healthy', help: '1 while readings are being committed to the database, 0 during a storage failure', registers: [registry] }),
    storageHeld: new Gauge({
      name: 'shelfgate_storage_held_readings',
      help: 'Readings held unacknowledged while storage is failing (devices keep them and retry)',
      registers: [registry],
    }),
    storageCommits: new Counter({ name: 'shelfgate_storage_commits_total', help: 'Reading batches committed to SQLite', registers: [registry] }),
    storageRows: new Counter({ name: 'shelfgate_storage_rows_total', help: 'Raw readings committed to SQLite (after the deadband)', registers: [registry] }),
    commitSeconds: new Histogram({
      name: 'shelfgate_ingest_commit_seconds',
      help: 'Per committed batch: time from its oldest reading arriving to the batch being durable (the longest PUBACK wait in it)',
      buckets: [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
  }
}

export type Metrics = ReturnType<typeof createMetrics>
