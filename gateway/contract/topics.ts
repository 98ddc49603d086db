/**
 * Topic contract v1 (docs/topics.md). Parsing is a split and a switch: it runs for every publish.
 *
 *   shelfgate/{store}/shelf/{shelf}/{lane}/weight
 *   shelfgate/{store}/cold/{unit}/temp | door | defrost
 *   shelfgate/{store}/locker/{locker}/{slot}/event
 *   shelfgate/{store}/device/{device}/status
 *
 * Gateway-owned trees (devices may never publish there): state/, events/, alerts/, cmd/.
 */
import type { ReadingKind } from './payloads.ts'

export const TOPIC_ROOT = 'shelfgate'

export const GATEWAY_TREES = ['state', 'events', 'alerts', 'cmd'] as const

/** Entity families a device can report about; a device's subjects are ids within one of them. */
export type SubjectFamily = 'shelf' | 'cold' | 'locker'

export type DeviceTopic =
  | { kind: 'shelf.weight'; shelf: string; lane: string }
  | { kind: 'cold.temp' | 'cold.door' | 'cold.defrost'; unit: string }
  | { kind: 'locker.event'; locker: string; slot: number }
  | { kind: 'device.status'; device: string }

export type TopicParse =
  | {
      ok: true
      topic: DeviceTopic
      /**
       * The topic as a string the cache keeps. A QoS 1 publish waits for its commit with the parser's
       * fresh copy of the topic, which lives long enough to be promoted to the old generation; the
       * broker swaps in this one (same text), so nothing is copied per reading.
       */
      name: string
    }
  | { ok: false; reason: 'unknown_topic' | 'wrong_store' | 'gateway_topic'; detail: string }

const COLD_KINDS = { temp: 'cold.temp', door: 'cold.door', defrost: 'cold.defrost' } as const

/** A topic level that is a usable id: no empty levels, no wildcards (the broker already refuses those). */
function isId(s: string | undefined): s is string {
  return s !== undefined && s.length > 0 && s.length <= 64
}

/**
 * Devices publish the same few topics over and over: remember recent parses (bounded, cleared when
 * full) so the hot path does a map lookup instead of a split.
 */
const parseCaches = new Map<string, Map<string, TopicParse>>()
const PARSE_CACHE_MAX = 20_000

export function parseDeviceTopic(topic: string, store: string): TopicParse {
  let cache = parseCaches.get(store)
  if (cache === undefined) parseCaches.set(store, (cache = new Map()))
  let parsed = cache.get(topic)
  if (parsed === undefined) {
    parsed = parseTopic(topic, store)
    if (cache.size >= PARSE_CACHE_MAX) cache.clear()
    cache.set(topic, parsed)
  }
  return parsed
}

function parseTopic(topic: string, store: string): TopicParse {
  const p = topic.split('/')
  if (p[0] !== TOPIC_ROOT || p.length < 3) {
    return { ok: false, reason: 'unknown_topic', detail: `topics start with ${TOPIC_ROOT}/${store}/` }
  }
  if (p[1] !== store) {
    return { ok: false, reason: 'wrong_store', detail: `this gateway serves store "${store}", not "${p[1]}"` }
  }
  const family = p[2]
  if ((GATEWAY_TREES as readonly string[]).includes(family as string)) {
    return { ok: false, reason: 'gateway_topic', detail: `only the gateway publishes under ${family}/` }
  }
  switch (family) {
    case 'shelf':
      if (p.length === 6 && isId(p[3]) && isId(p[4]) && p[5] === 'weight') {
        return { ok: true, topic: { kind: 'shelf.weight', shelf: p[3], lane: p[4] }, name: topic }
      }
      break
    case 'cold': {
      const k = p.length === 5 && isId(p[3]) ? COLD_KINDS[p[4] as keyof typeof COLD_KINDS] : undefined
      if (k && isId(p[3])) return { ok: true, topic: { kind: k, unit: p[3] }, name: topic }
      break
    }
    case 'locker':
      if (p.length === 6 && isId(p[3]) && p[5] === 'event' && /^[1-9][0-9]{0,3}$/.test(p[4] ?? '')) {
        return { ok: true, topic: { kind: 'locker.event', locker: p[3], slot: Number(p[4]) }, name: topic }
      }
      break
    case 'device':
      if (p.length === 5 && isId(p[3]) && p[4] === 'status') {
        return { ok: true, topic: { kind: 'device.status', device: p[3] }, name: topic }
      }
      break
  }
  return { ok: false, reason: 'unknown_topic', detail: `"${topic}" matches no topic of contract v1 (docs/topics.md)` }
}

/** Topic builders, so no other module formats topics by hand. */
export const topics = {
  deviceStatus: (store: string, device: string) => `${TOPIC_ROOT}/${store}/device/${device}/status`,
  shelfWeight: (store: string, shelf: string, lane: string) => `${TOPIC_ROOT}/${store}/shelf/${shelf}/${lane}/weight`,
  cold: (store: string, unit: string, what: 'temp' | 'door' | 'defrost') => `${TOPIC_ROOT}/${store}/cold/${unit}/${what}`,
  lockerEvent: (store: string, locker: string, slot: number) => `${TOPIC_ROOT}/${store}/locker/${locker}/${slot}/event`,
  state: (store: string, path: string) => `${TOPIC_ROOT}/${store}/state/${path}`,
  events: (store: string, path: string) => `${TOPIC_ROOT}/${store}/events/${path}`,
  alert: (store: string, id: string) => `${TOPIC_ROOT}/${store}/alerts/${id}`,
  cmd: (store: string, family: SubjectFamily, subject: string, rest: string) =>
    `${TOPIC_ROOT}/${store}/cmd/${family}/${subject}/${rest}`,
}

export function familyOf(kind: ReadingKind): SubjectFamily | 'device' {
  return kind === 'device.status' ? 'device' : (kind.split('.')[0] as SubjectFamily)
}
