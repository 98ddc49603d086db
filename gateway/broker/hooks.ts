/**
 * aedes hooks: who may connect (authenticate), what a device may publish (authorizePublish: ACL,
 * contract decode, rate limit, then the durable write before the PUBACK) and subscribe to.
 *
 * A refused publish is acknowledged and dropped, as Mosquitto does for MQTT 3.1.1 ACL denials: 3.1.1
 * has no negative PUBACK, and disconnecting would make a device with one bad reading resend it
 * forever. It is counted and logged instead, and shown on the staff page's device list.
 */
import type { AedesPublishPacket, AuthenticateError, Client, PublishPacket, Subscription } from 'aedes'
import type { Registry } from '../config/devices.ts'
import type { StoreConfig } from '../config/schema.ts'
import type { Clock } from '../core/clock.ts'
import type { EventBus } from '../core/eventBus.ts'
import type { Logger } from '../core/log.ts'
import { decodePayload, type Decoded, type Refusal } from '../contract/decode.ts'
import { mapPayload } from '../../devices/cold/mapPayload.ts'
import type { Reading } from '../contract/readings.ts'
import type { PersistWaiter } from '../ingest/durableSink.ts'
import { parseDeviceTopic, TOPIC_ROOT, type TopicParse } from '../contract/topics.ts'
import type { Metrics } from '../http/metrics.ts'
import type { CredentialVerifier, PrincipalKind } from '../security/credentials.ts'
import { checkPublish, checkSubscribe } from './acl.ts'
import { DeferredAcks } from './deferredAcks.ts'
import { PubackWaiter } from './pubackWaiter.ts'
import type { DeviceStats } from './deviceStats.ts'
import { FailureWindow, TokenBucket } from './rateLimit.ts'

/** Where accepted readings go (DurableSink): the waiter hears when the reading is durable, and the PUBACK waits for that. */
export interface ReadingSink {
  persist(reading: Reading, waiter: PersistWaiter): void
}

export interface Principal {
  id: string
  kind: PrincipalKind
  bucket: TokenBucket
  /** Contract topics this login has been allowed to publish, parsed (a board publishes the same few). */
  allowed: Map<string, AllowedTopic>
}

type AllowedTopic = Extract<TopicParse, { ok: true }>

/** A board publishes a dozen topics or so; a login trying many more is not kept past this. */
const ALLOWED_TOPICS_MAX = 256

export interface HookDeps {
  config: StoreConfig
  registry: Registry
  verifier: CredentialVerifier
  sink: ReadingSink
  bus: EventBus
  metrics: Metrics
  stats: DeviceStats
  log: Logger
  clock: Clock
}

/** Refused publishes are re-addressed here: '$' topics never match device subscriptions. */
export const REFUSED_SINK_TOPIC = '$SHELFGATE/refused'

/** A QoS 1 publish over the rate limit is held (the device slows down) up to this long, then refused. */
const MAX_RATE_HOLD_MS = 5_000

function authError(returnCode: 4 | 5, message: string): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError
}

function remoteOf(client: Client): string {
  const details = (client as unknown as { connDetails?: { ipAddress?: string } }).connDetails
  return details?.ipAddress ?? (client.conn as { remoteAddress?: string }).remoteAddress ?? 'unknown'
}

/** The device a restored will belongs to: its client id is the device id or starts with "{id}-" / "{id}:". */
function willOwner(packet: PublishPacket): string {
  const clientId = (packet as PublishPacket & { clientId?: string }).clientId ?? ''
  const device = /^shelfgate\/[^/]+\/device\/([^/]+)\/status$/.exec(packet.topic)?.[1]
  return device && (clientId === device || clientId.startsWith(`${device}-`) || clientId.startsWith(`${device}:`)) ? device : clientId || 'unknown'
}

export function createHooks(deps: HookDeps) {
  const { config, registry, verifier, sink, bus, metrics, stats, log, clock } = deps
  const store = config.store.id
  const principals = new WeakMap<Client, Principal>()
  const deferred = new DeferredAcks()
  const failures = new FailureWindow(config.broker.authFailuresPerMin)
  const b = config.broker
  /** QoS 0 readings (and restored wills): nobody waits for them; a failed write is only logged. */
  const unacknowledged: PersistWaiter = {
    committed() {},
    failed(err) {
      log.debug({ err }, 'QoS 0 reading not stored')
    },
  }

  function refuse(client: Client | null, packet: PublishPacket, r: Refusal, deviceId: string): void {
    metrics.refused.inc({ reason: r.reason })
    const now = clock.now()
    const suppressed = stats.refusal(deviceId, r.reason, r.detail, packet.topic, now)
    if (suppressed >= 0) {
      log.warn(
        { device: deviceId, topic: packet.topic, reason: r.reason, suppressedSinceLastLog: suppressed },
        `refused payload from ${deviceId}: ${r.reason}: ${r.detail}`,
      )
    }
    bus.emit('refused', { device: deviceId, topic: packet.topic, reason: r.reason, detail: r.detail })
    packet.topic = REFUSED_SINK_TOPIC
    packet.retain = false
    packet.payload = Buffer.alloc(0)
    void client
  }

  function authenticate(client: Client, username: string | undefined, password: Buffer | undefined, done: (e: AuthenticateError | null, ok: boolean | null) => void): void {
    const remote = remoteOf(client)
    const now = clock.now()
    const fail = (why: 'unknown' | 'password' | 'throttled' | 'client_id', code: 4 | 5, msg: string) => {
      if (why !== 'throttled') failures.record(remote, now)
      metrics.authFailures.inc({ why })
      bus.emit('authFailed', { username: username ?? '', remote, why })
      log.warn({ username: username ?? null, remote, why }, `MQTT login refused for "${username ?? '(anonymous)'}" from ${remote}: ${msg}`)
      done(authError(code, msg), null)
    }
    if (failures.blocked(remote, now)) return fail('throttled', 5, 'too many failed logins from this address; wait a minute')
    if (!username || !password) return fail('unknown', 5, 'anonymous connections are not allowed; use the device id and its password')
    const kind = verifier.kindOf(username)
    if (!kind) return fail('unknown', 4, 'no such device (add it with `shelfgate device add`)')
    // A device may not take over another device's session by choosing its client id.
    const cid = client.id
    if (!(cid === username || cid.startsWith(`${username}-`) || cid.startsWith(`${username}:`) || cid.startsWith('aedes_'))) {
      return fail('client_id', 5, `client id must be the device id "${username}" or start with "${username}-"`)
    }
    verifier.verify(username, password.toString('utf8')).then(
      (ok) => {
        if (!ok) return fail('password', 4, 'wrong password')
        principals.set(client, { id: username, kind, bucket: new TokenBucket(b.publishRatePerSec, b.publishBurst, clock.now()), allowed: new Map() })
        done(null, true)
      },
      (err: unknown) => {
        log.error({ err, username }, 'password check failed')
        done(authError(5, 'password check failed'), null)
      },
    )
  }

  /** Topic contract v1, or a third-party sensor topic mapped onto a cold unit (coldUnits[].source). */
  function decodeFrom(packet: PublishPacket, deviceId: string, now: number, principal: Principal | undefined): Decoded {
    // While the gateway's own clock is unsynced, every record uses it, so one correction fixes all.
    const trustDeviceTs = (clock as { synced?: boolean }).synced !== false
    // The registry does not change while the gateway runs: a topic this login was allowed once stays allowed.
    const allowed = principal?.allowed.get(packet.topic)
    if (allowed !== undefined) {
      packet.topic = allowed.name
      return decodePayload(allowed.topic, packet.payload as Buffer, deviceId, now, b.maxPayloadBytes, trustDeviceTs)
    }
    const src = registry.sources.get(packet.topic)
    if (src) {
      if (deviceId !== src.device) return { ok: false, reason: 'not_permitted', detail: `only "${src.device}" may publish on ${packet.topic} (the source of cold unit ${src.unit})` }
      const payload = packet.payload as Buffer
      if (payload.length > b.maxPayloadBytes) return { ok: false, reason: 'oversize', detail: `payload is ${payload.length} bytes; the limit is ${b.maxPayloadBytes}` }
      const mapped = mapPayload(src.mapping, packet.topic, payload, now)
      if (!mapped.ok) return { ok: false, reason: 'invalid', detail: mapped.error }
      // The device's own clock is trusted only while the gateway's is synchronised, as for contract topics.
      const ts = trustDeviceTs ? mapped.reading.ts : now
      return { ok: true, reading: { ...mapped.reading, device: deviceId, ts } }
    }
    const t = parseDeviceTopic(packet.topic, store)
    if (!t.ok) return t
    packet.topic = t.name
    const acl = checkPublish(deviceId, registry.devices.get(deviceId), t.topic, registry)
    if (!acl.ok) return acl
    if (principal && principal.allowed.size < ALLOWED_TOPICS_MAX) principal.allowed.set(t.name, t)
    return decodePayload(t.topic, packet.payload as Buffer, deviceId, now, b.maxPayloadBytes, trustDeviceTs)
  }

  function authorizePublish(client: Client | null, packet: PublishPacket, done: (err?: Error | null) => void): void {
    const principal = client ? principals.get(client) : undefined
    // client is null for a will restored after a crash: it speaks for the device its client id names.
    const deviceId = principal?.id ?? (client ? client.id || 'unknown' : willOwner(packet))
    const now = clock.now()

    if (principal?.kind === 'service') {
      // Services (Node-RED, bridge) publish commands; readings come only from devices and adapters.
      const ok = packet.topic.startsWith(`${TOPIC_ROOT}/${store}/cmd/`)
      if (!ok) refuse(client, packet, { ok: false, reason: 'not_permitted', detail: 'services may publish only under cmd/' }, deviceId)
      return done(null)
    }

    const decoded = decodeFrom(packet, deviceId, now, principal)
    if (!decoded.ok) {
      refuse(client, packet, decoded, deviceId)
      return done(null)
    }

    let holdMs = 0
    if (principal) {
      if (packet.qos === 0) {
        if (!principal.bucket.tryTake(now)) {
          metrics.rateLimited.inc({ action: 'dropped' })
          refuse(client, packet, { ok: false, reason: 'rate_limited', detail: `over ${b.publishRatePerSec} publishes/s` }, deviceId)
          return done(null)
        }
      } else {
        holdMs = principal.bucket.reserve(now)
        if (holdMs > MAX_RATE_HOLD_MS) {
          metrics.rateLimited.inc({ action: 'disconnected' })
          return done(new Error(`${deviceId} publishes far over ${b.publishRatePerSec}/s; disconnected`))
        }
        if (holdMs > 0) metrics.rateLimited.inc({ action: 'held' })
      }
    }

    // The rules see a reading as it arrives; only its PUBACK waits for the disk (DurableSink).
    const reading = decoded.reading
    stats.reading(deviceId, now)
    metrics.countReading(reading.kind)
    bus.emit('reading', reading)
    if (packet.qos === 0 || !client) {
      sink.persist(reading, unacknowledged)
      return done(null)
    }
    if (holdMs > 0) setTimeout(() => sink.persist(reading, new PubackWaiter(client, packet, done, deferred)), holdMs)
    else sink.persist(reading, new PubackWaiter(client, packet, done, deferred))
  }

  function authorizeSubscribe(client: Client, sub: Subscription, done: (err: Error | null, sub?: Subscription | null) => void): void {
    const principal = principals.get(client)
    if (!principal) return done(null, null)
    if (principal.kind === 'service') return done(null, sub.topic.startsWith(`${TOPIC_ROOT}/${store}/`) ? sub : null)
    if (checkSubscribe(principal.id, registry.devices.get(principal.id), sub.topic, store)) return done(null, sub)
    log.warn({ device: principal.id, filter: sub.topic }, `subscription refused for ${principal.id}: "${sub.topic}" is outside its cmd/ topics`)
    metrics.refused.inc({ reason: 'not_permitted' })
    done(null, null)
  }

  /** Nothing readdressed to the refusal sink is ever delivered, whoever subscribes. */
  function authorizeForward(_client: Client, packet: AedesPublishPacket): AedesPublishPacket | null {
    return packet.topic === REFUSED_SINK_TOPIC ? null : packet
  }

  return { authenticate, authorizePublish, authorizeSubscribe, authorizeForward, principals }
}
