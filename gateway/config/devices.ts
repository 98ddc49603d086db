/**
 * Which device may report about which subject. Built from the explicit `devices:` list and from the
 * `device:` field of shelves, cold units and lockers; the broker's ACL is derived from it.
 */
import { sensorPresets, type SensorMapping } from '../../devices/cold/mapPayload.ts'
import type { DeviceKind, StoreConfig } from './schema.ts'

/** A third-party sensor topic mapped onto a cold unit (coldUnits[].source). */
export interface MappedSource {
  unit: string
  /** The only login allowed to publish on the topic. */
  device: string
  mapping: SensorMapping
}

export interface DeviceEntry {
  id: string
  kind: DeviceKind
  subjects: Set<string>
}

export interface Registry {
  devices: Map<string, DeviceEntry>
  /** shelf id → lane ids */
  shelves: Map<string, Set<string>>
  coldUnits: Set<string>
  /** locker id → compartment count */
  lockers: Map<string, number>
  /** exact topic → mapped third-party sensor */
  sources: Map<string, MappedSource>
}

export interface RegistryProblem {
  path: (string | number)[]
  message: string
}

type Result = { ok: true; registry: Registry } | { ok: false; problems: RegistryProblem[] }

export function deviceRegistry(config: StoreConfig): Result {
  const problems: RegistryProblem[] = []
  const devices = new Map<string, DeviceEntry>()

  const seen = new Map<string, string>()
  const unique = (idValue: string, path: (string | number)[], what: string) => {
    const key = `${what}:${idValue}`
    const first = seen.get(key)
    if (first !== undefined) problems.push({ path: [...path, 'id'], message: `duplicate ${what} id "${idValue}" (first defined at ${first})` })
    else seen.set(key, path.join('.'))
  }

  config.devices.forEach((d, i) => {
    unique(d.id, ['devices', i], 'device')
    devices.set(d.id, { id: d.id, kind: d.kind, subjects: new Set(d.subjects) })
  })

  const claim = (deviceId: string | undefined, kind: DeviceKind, subject: string, path: (string | number)[]) => {
    if (!deviceId) return
    const existing = devices.get(deviceId)
    if (existing && existing.kind !== kind) {
      problems.push({ path: [...path, 'device'], message: `device "${deviceId}" is a ${existing.kind} device and cannot also report ${kind} data` })
      return
    }
    if (existing) existing.subjects.add(subject)
    else devices.set(deviceId, { id: deviceId, kind, subjects: new Set([subject]) })
  }

  const shelves = new Map<string, Set<string>>()
  config.shelves.forEach((s, i) => {
    unique(s.id, ['shelves', i], 'shelf')
    const lanes = new Set<string>()
    s.lanes.forEach((l, j) => {
      if (lanes.has(l.id)) problems.push({ path: ['shelves', i, 'lanes', j, 'id'], message: `duplicate lane id "${l.id}" on shelf ${s.id}` })
      if (l.restockAt >= l.capacity) problems.push({ path: ['shelves', i, 'lanes', j, 'restockAt'], message: `must be below capacity (${l.capacity})` })
      lanes.add(l.id)
    })
    shelves.set(s.id, lanes)
    claim(s.device, 'shelf', s.id, ['shelves', i])
  })

  const coldUnits = new Set<string>()
  const sources = new Map<string, MappedSource>()
  config.coldUnits.forEach((u, i) => {
    unique(u.id, ['coldUnits', i], 'cold unit')
    coldUnits.add(u.id)
    claim(u.device, 'cold', u.id, ['coldUnits', i])
    const src = u.source
    if (!src) return
    const device = src.device ?? (src.topic.split('/')[0] as string)
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(device)) {
      problems.push({ path: ['coldUnits', i, 'source', 'device'], message: `"${device}" (the topic's first level) cannot be a device id: set source.device` })
      return
    }
    if (sources.has(src.topic)) problems.push({ path: ['coldUnits', i, 'source', 'topic'], message: `topic "${src.topic}" is already the source of cold unit ${sources.get(src.topic)?.unit}` })
    const preset = src.preset ? sensorPresets[src.preset] : undefined
    const mapping: SensorMapping = {
      ...(preset ?? { temperature: '' }),
      ...(src.map ? { temperature: src.map.c, ...(src.map.battery ? { battery: src.map.battery } : {}), ...(src.map.ts ? { ts: src.map.ts } : {}), ...(src.map.scale ? { scale: src.map.scale } : {}) } : {}),
      topic: src.topic,
      unit: u.id,
      device,
      ...(src.probe ? { probe: src.probe } : {}),
    }
    sources.set(src.topic, { unit: u.id, device, mapping })
    claim(device, 'cold', u.id, ['coldUnits', i, 'source'])
  })

  const lockers = new Map<string, number>()
  config.lockers.forEach((k, i) => {
    unique(k.id, ['lockers', i], 'locker')
    lockers.set(k.id, k.compartments.count)
    for (const slot of [...k.compartments.chilled, ...k.compartments.frozen]) {
      if (slot > k.compartments.count) problems.push({ path: ['lockers', i, 'compartments'], message: `compartment ${slot} is beyond count ${k.compartments.count}` })
    }
    claim(k.device, 'locker', k.id, ['lockers', i])
  })

  // A refrigerated locker zone names compartments that must exist.
  config.coldUnits.forEach((u, i) => {
    if (!u.locker) return
    const count = lockers.get(u.locker.id)
    if (count === undefined) problems.push({ path: ['coldUnits', i, 'locker', 'id'], message: `no locker with id "${u.locker.id}" is configured` })
    else for (const slot of u.locker.slots) if (slot > count) problems.push({ path: ['coldUnits', i, 'locker', 'slots'], message: `locker ${u.locker.id} has ${count} compartments, not ${slot}` })
  })

  // Door contacts on the Pi's GPIO report as the `gpio` device for their cold units.
  config.gpio.forEach((g, i) => {
    if (g.role !== 'door') return
    if (typeof g.coldUnit !== 'string' || !coldUnits.has(g.coldUnit)) {
      problems.push({ path: ['gpio', i, 'coldUnit'], message: `a door contact needs the id of a configured cold unit (got ${JSON.stringify(g.coldUnit)})` })
      return
    }
    claim('gpio', 'cold', g.coldUnit, ['gpio', i])
  })

  // Every subject a device claims must exist, or its readings would all be refused at run time.
  config.devices.forEach((d, i) => {
    const known = d.kind === 'shelf' ? shelves : d.kind === 'cold' ? coldUnits : lockers
    d.subjects.forEach((s, j) => {
      if (!known.has(s)) problems.push({ path: ['devices', i, 'subjects', j], message: `no ${d.kind === 'cold' ? 'cold unit' : d.kind} with id "${s}" is configured` })
    })
  })

  return problems.length ? { ok: false, problems } : { ok: true, registry: { devices, shelves, coldUnits, lockers, sources } }
}

/** For callers that already validated the config. */
export function registryOf(config: StoreConfig): Registry {
  const r = deviceRegistry(config)
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path.join('.')}: ${p.message}`).join('\n'))
  return r.registry
}
