/**
 * The store config schema: the single source of truth for validation, defaults and the types the
 * gateway uses. docs/config.md and docs/store.example.yaml document it; keep them in step.
 */
import { z } from 'zod'
import { alertsSectionSchema, staffSectionSchema } from './alertsConfig.ts'

/** Ids become MQTT topic levels: no '/', '+', '#', spaces. */
const id = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1–64 letters, digits, "_", "." or "-" (it becomes an MQTT topic level)')

const port = z.number().int().min(0).max(65535)
const host = z.string().min(1)

const listener = z.strictObject({ host: host.default('127.0.0.1'), port })

const tlsListener = z.strictObject({
  host: host.default('0.0.0.0'),
  port,
  cert: z.string().min(1),
  key: z.string().min(1),
  ca: z.string().optional(),
})

const location = z.record(z.string(), z.union([z.string(), z.number()]))

const lane = z.strictObject({
  id,
  sku: z.union([z.string(), z.number()]).transform(String).optional(),
  name: z.string().min(1),
  unitWeight: z.number().positive('must be a number of grams > 0'),
  capacity: z.number().int().positive(),
  restockAt: z.number().int().min(0).default(0),
  leadTimeMin: z.number().min(0).default(30),
  tareG: z.number().optional(),
  calibration: z.strictObject({ zeroCounts: z.number(), countsPerGram: z.number().refine((n) => n !== 0, 'must not be 0') }).optional(),
})

const shelf = z.strictObject({
  id,
  location: location.optional(),
  device: id.optional(),
  lanes: z.array(lane).min(1),
})

const coldClass = z.enum(['chilled', 'frozen', 'frozen-display', 'cold-room', 'cold-locker'])

const coldUnit = z.strictObject({
  id,
  name: z.string().min(1),
  class: coldClass,
  device: id.optional(),
  location: location.optional(),
  /** Per-unit overrides of the class limits and delays (docs/cold-chain.md). */
  limits: z.record(z.string(), z.number()).optional(),
  readingIntervalS: z.number().positive().default(30),
  /** A refrigerated locker zone: the compartments this unit's probe measures (class cold-locker). */
  locker: z.strictObject({ id, slots: z.array(z.number().int().min(1)).min(1) }).optional(),
  modbus: z.looseObject({}).optional(),
  /**
   * A third-party sensor (zigbee2mqtt, Tasmota, Shelly …) publishing on its own topic. `device` is the
   * MQTT login allowed to publish there (default: the topic's first level, e.g. "zigbee2mqtt").
   */
  source: z
    .strictObject({
      topic: z.string().min(1).regex(/^[^+#]+$/, 'must be one exact topic (no + or # wildcards)'),
      device: id.optional(),
      preset: z.enum(['zigbee2mqtt', 'tasmota', 'tasmota-sht3x', 'shelly', 'shelly-gen1']).optional(),
      /** Dotted paths in the payload: c = temperature (required without a preset), battery in %, ts. */
      map: z.strictObject({ c: z.string(), battery: z.string().optional(), ts: z.string().optional(), scale: z.enum(['C', 'F']).optional() }).optional(),
      probe: z.enum(['air', 'product', 'evaporator']).optional(),
    })
    .refine((s) => s.preset !== undefined || s.map !== undefined, { message: 'needs a preset (e.g. zigbee2mqtt) or a map with the temperature path { c: … }', path: ['map'] })
    .optional(),
})

const locker = z.strictObject({
  id,
  name: z.string().min(1),
  device: id.optional(),
  bus: z.looseObject({}).optional(),
  compartments: z.strictObject({
    count: z.number().int().min(1).max(255),
    chilled: z.array(z.number().int().min(1)).default([]),
    frozen: z.array(z.number().int().min(1)).default([]),
  }),
  pickupDeadlineHours: z
    .strictObject({ ambient: z.number().positive().default(24), chilled: z.number().positive().default(8), frozen: z.number().positive().default(8) })
    .default({ ambient: 24, chilled: 8, frozen: 8 }),
})

export const deviceKinds = ['shelf', 'cold', 'locker'] as const

const device = z.strictObject({
  id,
  kind: z.enum(deviceKinds),
  /** Entity ids this device reports about (shelf ids, cold unit ids or locker ids). */
  subjects: z.array(id).default([]),
})

const broker = z
  .strictObject({
    /** Larger MQTT packets close the connection (mqtt-packet refuses them while parsing). */
    maxPacketBytes: z.number().int().min(256).default(16 * 1024),
    /** Larger device payloads are refused as "oversize" and counted; the device stays connected. */
    maxPayloadBytes: z.number().int().min(64).default(1024),
    /** Per-client publish rate (token bucket): sustained per second and burst. */
    publishRatePerSec: z.number().positive().default(50),
    publishBurst: z.number().int().positive().default(200),
    /** Failed logins per remote address per minute before further attempts are refused outright. */
    authFailuresPerMin: z.number().int().positive().default(10),
    /** A subscriber whose socket does not drain in this time is disconnected (aedes drainTimeout). */
    drainTimeoutMs: z.number().int().positive().default(10_000),
  })
  .default({ maxPacketBytes: 16 * 1024, maxPayloadBytes: 1024, publishRatePerSec: 50, publishBurst: 200, authFailuresPerMin: 10, drainTimeoutMs: 10_000 })

const storage = z
  .strictObject({
    /** A transaction starts once the oldest reading has waited this many ms or this many rows wait, whichever first (DESIGN §3). */
    groupCommitMs: z.number().int().min(1).max(1000).default(10),
    groupCommitRows: z.number().int().min(1).max(100_000).default(1000),
    /** The largest transaction: what queued while the last one was being written, in whole device bursts. */
    groupCommitMaxRows: z.number().int().min(1).max(1_000_000).default(10_000),
    /** Closed 1-minute rollups are written together this often (fewer, fuller pages on the SD card). */
    rollupFlushMin: z.number().positive().max(60).default(5),
    /** Raw rows only when a reading moves this much (SD-card discipline), plus a heartbeat. */
    deadband: z
      .strictObject({
        shelfGrams: z.number().min(0).default(2),
        shelfRawCounts: z.number().min(0).default(800),
        /**
         * Probes are ±0.5 °C, so a step under 1 °C between two readings is within their error. The rules
         * and the 1-minute rollups (min/mean/max, which the HACCP report reads) see every reading, and a
         * crossing of the unit's limit is always stored (store/deadband.ts).
         */
        coldC: z.number().min(0).default(1),
        heartbeatMin: z.number().positive().default(5),
      })
      .default({ shelfGrams: 2, shelfRawCounts: 800, coldC: 1, heartbeatMin: 5 }),
    retention: z
      .strictObject({
        rawDays: z.number().positive().default(14),
        /** Rollups, alerts, audit log and HACCP records: at least 2 years. */
        recordsDays: z.number().min(730, 'must keep records at least 2 years (730 days)').default(800),
        sentOutboxDays: z.number().positive().default(7),
      })
      .default({ rawDays: 14, recordsDays: 800, sentOutboxDays: 7 }),
  })
  .default({
    groupCommitMs: 10,
    groupCommitRows: 1000,
    groupCommitMaxRows: 10_000,
    rollupFlushMin: 5,
    deadband: { shelfGrams: 2, shelfRawCounts: 800, coldC: 1, heartbeatMin: 5 },
    retention: { rawDays: 14, recordsDays: 800, sentOutboxDays: 7 },
  })

export const configSchema = z.strictObject({
  store: z.strictObject({
    id,
    name: z.string().min(1),
    timezone: z.string().default('UTC'),
    language: z.enum(['zh-CN', 'en']).default('en'),
  }),
  listeners: z
    .strictObject({
      mqtt: listener.default({ host: '127.0.0.1', port: 1883 }),
      mqtts: tlsListener.optional(),
      ws: listener.optional(),
      http: listener.default({ host: '127.0.0.1', port: 8080 }),
    })
    .default({ mqtt: { host: '127.0.0.1', port: 1883 }, http: { host: '127.0.0.1', port: 8080 } }),
  dataDir: z.string().min(1),
  log: z.strictObject({ level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info') }).default({ level: 'info' }),
  broker,
  storage,
  devices: z.array(device).default([]),
  shelves: z.array(shelf).default([]),
  coldUnits: z.array(coldUnit).default([]),
  lockers: z.array(locker).default([]),
  // Sections owned by later capabilities: their shape is checked by those modules at start.
  /** Serial and Modbus adapters (devices/adapters/config.ts checks them in detail). */
  adapters: z.array(z.looseObject({})).default([]),
  gpio: z.array(z.looseObject({ pin: z.number().int().min(0), role: z.string() })).default([]),
  staff: staffSectionSchema.default([]),
  alerts: alertsSectionSchema.optional(),
  cloud: z.looseObject({}).optional(),
  nodeRed: z.looseObject({}).optional(),
})

export type StoreConfig = z.infer<typeof configSchema>
export type LaneConfig = z.infer<typeof lane>
export type ShelfConfig = z.infer<typeof shelf>
export type ColdUnitConfig = z.infer<typeof coldUnit>
export type LockerConfig = z.infer<typeof locker>
export type DeviceKind = (typeof deviceKinds)[number]
