/**
 * Config of the hardware adapters (docs/adapters.md): serial load-cell boards and Modbus weight
 * transmitters and refrigeration controllers. One schema is the source of the types and defaults;
 * `resolveAdapters` adds the cross-checks against the store config (the device may report about the
 * subject, the lane exists and has a calibration, the cold unit exists) and names every problem by path.
 */
import { z } from 'zod'
import { registryOf } from '../../gateway/config/devices.ts'
import type { StoreConfig } from '../../gateway/config/schema.ts'
import { builtInColdMaps } from './modbus/maps.ts'
import { bitField, coldMap, registerField } from './modbus/fields.ts'

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1–64 letters, digits, "_", "." or "-"')

const backoff = z
  .strictObject({ initialMs: z.number().int().min(10).default(1000), maxMs: z.number().int().min(10).default(30_000) })
  .default({ initialMs: 1000, maxMs: 30_000 })

/** "host:port" (port defaults to 502, the Modbus TCP port). */
const tcpAddress = z
  .string()
  .regex(/^[^\s:]+(:\d{1,5})?$|^\[[0-9a-fA-F:]+\](:\d{1,5})?$/, 'must be "host:port", e.g. "192.168.1.50:502"')
  .transform((s) => {
    const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(s)
    return { host: (m?.[1] ?? s).replace(/^\[|\]$/g, ''), port: m?.[2] ? Number(m[2]) : 502 }
  })

/** Serial line settings shared by the load-cell board and Modbus RTU. */
const serialLine = {
  baudRate: z.number().int().positive().default(9600),
  dataBits: z.union([z.literal(7), z.literal(8)]).default(8),
  parity: z.enum(['none', 'even', 'odd']).default('none'),
  stopBits: z.union([z.literal(1), z.literal(2)]).default(1),
}

const modbusCommon = {
  id,
  device: id,
  /** RTU: serial path of the USB–RS485 adapter. */
  port: z.string().min(1).optional(),
  /** TCP: "host:port". */
  tcp: tcpAddress.optional(),
  ...serialLine,
  /** Modbus unit (slave) id, 1–247; a TCP device often ignores it. */
  unit: z.number().int().min(0).max(255).default(1),
  timeoutMs: z.number().int().min(10).default(500),
  /** Consecutive failed polls before the device is reported offline. */
  offlineAfter: z.number().int().min(1).default(3),
  backoff,
  /** Join register reads at most this many unused registers apart (0: contiguous only; some controllers refuse gaps). */
  maxGap: z.number().int().min(0).max(32).default(0),
}

const exactlyOneLink = (a: { port?: string | undefined; tcp?: unknown }) => (a.port === undefined) !== (a.tcp === undefined)
const linkMessage = { message: 'set exactly one of "port" (Modbus RTU serial path) or "tcp" ("host:port")' }

export const serialLoadCellSchema = z.strictObject({
  id,
  kind: z.literal('serial-loadcell'),
  device: id,
  port: z.string().min(1),
  ...serialLine,
  /** One shelf.weight reading per lane per interval: the median of the board's samples in it. */
  publishIntervalMs: z.number().int().min(50).default(500),
  /** No valid line for this long while the port is open: the board is reported offline. */
  silenceMs: z.number().int().min(100).default(3000),
  reopen: z
    .strictObject({ initialMs: z.number().int().min(10).default(250), maxMs: z.number().int().min(10).default(10_000) })
    .default({ initialMs: 250, maxMs: 10_000 }),
  channels: z.array(z.strictObject({ channel: z.number().int().min(0).max(255), shelf: id, lane: id })).min(1),
})

export const modbusWeightSchema = z
  .strictObject({
    ...modbusCommon,
    kind: z.literal('modbus-weight'),
    pollMs: z.number().int().min(20).default(500),
    /** Each lane's weight register; value × scale + offset = grams. */
    lanes: z.array(z.strictObject({ shelf: id, lane: id, ...registerField.shape })).min(1),
  })
  .refine(exactlyOneLink, linkMessage)

export const modbusColdSchema = z
  .strictObject({
    ...modbusCommon,
    kind: z.literal('modbus-cold'),
    coldUnit: id,
    pollMs: z.number().int().min(20).default(10_000),
    /** A built-in map name (`dixell-xr`) or a register map. */
    map: z.union([z.string().min(1), coldMap]),
  })
  .refine(exactlyOneLink, linkMessage)

/** RS485 lock boards of one locker (docs/lockers.md): unlock commands in, door events out. */
export const lockBoardSchema = z.strictObject({
  id,
  kind: z.literal('lock-board'),
  device: id,
  /** Locker id in the store config. */
  locker: id,
  /** Serial path of the USB–RS485 adapter. */
  port: z.string().min(1),
  baudRate: z.number().int().positive().default(9600),
  /** Board addresses (DIP switches) in slot order: board boards[0] drives slots 1…locksPerBoard, boards[1] the next, … */
  boards: z.array(z.number().int().min(0).max(255)).min(1),
  locksPerBoard: z.number().int().min(1).max(24).default(24),
  /** Door polling period (query-all of every board). */
  pollMs: z.number().int().min(20).default(500),
  /** Per request; a request is retried `retries` times. */
  timeoutMs: z.number().int().min(10).default(300),
  retries: z.number().int().min(0).max(5).default(2),
  reopen: z
    .strictObject({ initialMs: z.number().int().min(10).default(250), maxMs: z.number().int().min(10).default(10_000) })
    .default({ initialMs: 250, maxMs: 10_000 }),
  /** An unlock command whose `at` is older than this is not carried out (a stale command must not open a door). */
  maxCommandAgeMs: z.number().int().min(100).default(30_000),
})

export const adapterSchema = z.discriminatedUnion('kind', [serialLoadCellSchema, modbusWeightSchema, modbusColdSchema, lockBoardSchema])
export const adaptersSchema = z.array(adapterSchema).default([])

export type SerialLoadCellConfig = z.infer<typeof serialLoadCellSchema>
export type ModbusWeightConfig = z.infer<typeof modbusWeightSchema>
export type ModbusColdConfig = z.infer<typeof modbusColdSchema>
export type LockBoardConfig = z.infer<typeof lockBoardSchema>
export type AdapterConfig = z.infer<typeof adapterSchema>
export type ColdMap = z.infer<typeof coldMap>
export type BitField = z.infer<typeof bitField>

/** A cold adapter with its map resolved (a built-in name replaced by the map itself). */
export type ResolvedColdConfig = Omit<ModbusColdConfig, 'map'> & { map: ColdMap; mapName: string }
/** A lock-board adapter with the locker's compartment count from the store config. */
export type ResolvedLockBoardConfig = LockBoardConfig & { compartments: number }
export type ResolvedAdapter = SerialLoadCellConfig | ModbusWeightConfig | ResolvedColdConfig | ResolvedLockBoardConfig

export class AdapterConfigError extends Error {
  readonly problems: string[]
  constructor(source: string, problems: string[]) {
    super(problems.map((p) => `${source}: ${p}`).join('\n'))
    this.name = 'AdapterConfigError'
    this.problems = problems
  }
}

function pathText(path: readonly PropertyKey[]): string {
  let s = ''
  for (const k of path) s += typeof k === 'number' ? `[${k}]` : s ? `.${String(k)}` : String(k)
  return s
}

/**
 * `coldUnits[].modbus` in the store config (as in the shared example store.yaml) is shorthand for a
 * `modbus-cold` adapter of that unit, reporting as the unit's `device`.
 */
export function adaptersFromColdUnits(store: StoreConfig): { entries: unknown[]; problems: string[] } {
  const entries: unknown[] = []
  const problems: string[] = []
  store.coldUnits.forEach((u, i) => {
    if (!u.modbus) return
    if (!u.device) {
      problems.push(`coldUnits[${i}].device: is required when the unit has "modbus" (the adapter logs in as that device)`)
      return
    }
    entries.push({ id: `modbus-${u.id}`, kind: 'modbus-cold', device: u.device, coldUnit: u.id, ...u.modbus })
  })
  return { entries, problems }
}

/**
 * `lockers[].bus` `{ port, protocol: rs485-lockboard, boards: [1, 2] }` (as in the shared example
 * store.yaml) is shorthand for a `lock-board` adapter with id `lockboard-{locker}`, reporting as the
 * locker's `device`. Other keys of `bus` (locksPerBoard, pollMs …) are passed through.
 */
export function adaptersFromLockers(store: StoreConfig): { entries: unknown[]; problems: string[] } {
  const entries: unknown[] = []
  const problems: string[] = []
  store.lockers.forEach((k, i) => {
    if (!k.bus) return
    const { protocol, ...bus } = k.bus as { protocol?: unknown } & Record<string, unknown>
    if (protocol !== undefined && protocol !== 'rs485-lockboard') {
      problems.push(`lockers[${i}].bus.protocol: unknown protocol ${JSON.stringify(protocol)} (known: rs485-lockboard)`)
      return
    }
    if (!k.device) {
      problems.push(`lockers[${i}].device: is required when the locker has "bus" (the adapter logs in as that device)`)
      return
    }
    entries.push({ id: `lockboard-${k.id}`, kind: 'lock-board', device: k.device, locker: k.id, ...bus })
  })
  return { entries, problems }
}

/**
 * Validates `adapters` (plus the `coldUnits[].modbus` shorthand) against the store config.
 * Throws one AdapterConfigError listing every problem.
 */
export function resolveAdapters(raw: unknown, store: StoreConfig, source = 'adapters'): ResolvedAdapter[] {
  const fromUnits = adaptersFromColdUnits(store)
  const fromLockers = adaptersFromLockers(store)
  const list = [...(Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw]), ...fromUnits.entries, ...fromLockers.entries]
  const problems = [...fromUnits.problems, ...fromLockers.problems]
  if (raw !== undefined && raw !== null && !Array.isArray(raw)) problems.push('adapters: must be a list')
  const parsed = adaptersSchema.safeParse(list)
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`adapters${pathText(issue.path)}: ${issue.message}`)
    throw new AdapterConfigError(source, problems)
  }
  const registry = registryOf(store)
  const out: ResolvedAdapter[] = []
  const ids = new Set<string>()
  parsed.data.forEach((a, i) => {
    const at = `adapters[${i}]`
    if (ids.has(a.id)) problems.push(`${at}.id: duplicate adapter id "${a.id}"`)
    ids.add(a.id)
    const device = registry.devices.get(a.device)
    const subjects = device?.subjects ?? new Set<string>()
    if (!device) problems.push(`${at}.device: "${a.device}" is in no shelf, cold unit or devices entry of the store config`)
    if (a.kind === 'serial-loadcell' || a.kind === 'modbus-weight') {
      const lanes = a.kind === 'serial-loadcell' ? a.channels : a.lanes
      const listName = a.kind === 'serial-loadcell' ? 'channels' : 'lanes'
      const seen = new Set<string>()
      lanes.forEach((l, j) => {
        const where = `${at}.${listName}[${j}]`
        const key = a.kind === 'serial-loadcell' ? `channel ${(l as { channel: number }).channel}` : `${l.shelf}/${l.lane}`
        if (seen.has(key)) problems.push(`${where}: ${key} is mapped twice`)
        seen.add(key)
        const shelf = store.shelves.find((s) => s.id === l.shelf)
        const lane = shelf?.lanes.find((x) => x.id === l.lane)
        if (!shelf) problems.push(`${where}.shelf: no shelf "${l.shelf}" in the store config`)
        else if (!lane) problems.push(`${where}.lane: shelf ${l.shelf} has no lane "${l.lane}"`)
        else if (device && !subjects.has(l.shelf)) problems.push(`${where}.shelf: device "${a.device}" does not report for shelf ${l.shelf} (set shelves[].device)`)
        // The serial board sends raw counts; grams come from the lane's calibration in the store config.
        if (a.kind === 'serial-loadcell' && lane && !lane.calibration) {
          problems.push(`${where}: lane ${l.shelf}/${l.lane} needs shelves[].lanes[].calibration { zeroCounts, countsPerGram } in the store config`)
        }
      })
      out.push(a)
      return
    }
    if (a.kind === 'lock-board') {
      const locker = store.lockers.find((k) => k.id === a.locker)
      if (!locker) problems.push(`${at}.locker: no locker "${a.locker}" in the store config`)
      else if (device && !subjects.has(a.locker)) problems.push(`${at}.locker: device "${a.device}" does not report for locker ${a.locker} (set lockers[].device)`)
      const dup = a.boards.find((b, j) => a.boards.indexOf(b) !== j)
      if (dup !== undefined) problems.push(`${at}.boards: board ${dup} is listed twice`)
      const locks = a.boards.length * a.locksPerBoard
      if (locker && locks < locker.compartments.count) {
        problems.push(`${at}.boards: ${a.boards.length} board(s) × ${a.locksPerBoard} locks cover slots 1…${locks}, but locker ${a.locker} has ${locker.compartments.count} compartments`)
      }
      if (locker) out.push({ ...a, compartments: locker.compartments.count })
      return
    }
    if (!store.coldUnits.some((u) => u.id === a.coldUnit)) problems.push(`${at}.coldUnit: no cold unit "${a.coldUnit}" in the store config`)
    else if (device && !subjects.has(a.coldUnit)) problems.push(`${at}.coldUnit: device "${a.device}" does not report for cold unit ${a.coldUnit}`)
    let map: ColdMap | undefined
    let mapName = 'custom'
    if (typeof a.map === 'string') {
      map = builtInColdMaps[a.map]
      mapName = a.map
      if (!map) problems.push(`${at}.map: unknown built-in map "${a.map}" (known: ${Object.keys(builtInColdMaps).join(', ')}), or give a register map`)
    } else map = a.map
    if (map) out.push({ ...a, map, mapName })
  })
  if (problems.length) throw new AdapterConfigError(source, problems)
  return out
}
