/**
 * Per-device topic ACL (DESIGN §8): a device publishes only about its own subjects and its own status,
 * and subscribes only to its own cmd/ tree. Pure, so the rules are tested without a broker.
 */
import type { DeviceEntry, Registry } from '../config/devices.ts'
import type { DeviceTopic } from '../contract/topics.ts'
import { TOPIC_ROOT } from '../contract/topics.ts'

export type AclResult = { ok: true } | { ok: false; reason: 'not_permitted' | 'unknown_subject'; detail: string }

const OK: AclResult = { ok: true }

export function checkPublish(deviceId: string, device: DeviceEntry | undefined, t: DeviceTopic, registry: Registry): AclResult {
  if (t.kind === 'device.status') {
    return t.device === deviceId ? OK : { ok: false, reason: 'not_permitted', detail: `may publish only its own status, not device "${t.device}"'s` }
  }
  if (!device) {
    return { ok: false, reason: 'not_permitted', detail: 'this device is in no shelf, cold unit or locker of the config, so it may publish only its status' }
  }
  switch (t.kind) {
    case 'shelf.weight': {
      if (device.kind !== 'shelf' || !device.subjects.has(t.shelf)) return denied(device, `shelf ${t.shelf}`)
      const lanes = registry.shelves.get(t.shelf)
      if (!lanes?.has(t.lane)) return { ok: false, reason: 'unknown_subject', detail: `shelf ${t.shelf} has no lane "${t.lane}" in the config` }
      return OK
    }
    case 'cold.temp':
    case 'cold.door':
    case 'cold.defrost':
      return device.kind === 'cold' && device.subjects.has(t.unit) ? OK : denied(device, `cold unit ${t.unit}`)
    case 'locker.event': {
      if (device.kind !== 'locker' || !device.subjects.has(t.locker)) return denied(device, `locker ${t.locker}`)
      const count = registry.lockers.get(t.locker) ?? 0
      if (t.slot > count) return { ok: false, reason: 'unknown_subject', detail: `locker ${t.locker} has ${count} compartments, not ${t.slot}` }
      return OK
    }
  }
}

function denied(device: DeviceEntry, what: string): AclResult {
  const own = [...device.subjects].join(', ') || 'none'
  return { ok: false, reason: 'not_permitted', detail: `may not report about ${what} (its ${device.kind} subjects: ${own})` }
}

/** A device may subscribe to commands for its own subjects: shelfgate/{store}/cmd/{kind}/{subject}/... */
export function checkSubscribe(deviceId: string, device: DeviceEntry | undefined, filter: string, store: string): boolean {
  const p = filter.split('/')
  if (p.length < 5 || p[0] !== TOPIC_ROOT || p[1] !== store || p[2] !== 'cmd') return false
  const family = p[3]
  const subject = p[4]
  if (subject === undefined || subject.includes('+') || subject.includes('#')) return false
  if (family === 'device') return subject === deviceId
  return device !== undefined && family === device.kind && device.subjects.has(subject)
}
