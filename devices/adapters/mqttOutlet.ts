/**
 * Publishes an adapter's readings into topic contract v1 over MQTT, logged in as the adapter's device
 * (credentials from `shelfgate device add`), so the broker applies the same authentication, ACL,
 * validation and durable-write-before-PUBACK as for any MQTT device.
 *
 * - client id `{device}:{adapterId}`: the ACL accepts it, and two adapters of one device do not kick
 *   each other off;
 * - readings at QoS 1 with `ts` and a per-connection `seq`; the hardware's status retained at QoS 1,
 *   re-sent on every (re)connect; last will `{"online":false}` for when the adapter process dies;
 * - while the broker is unreachable mqtt.js queues readings; beyond `maxQueued` unacknowledged
 *   messages new readings are dropped and counted, so a long outage cannot exhaust memory.
 */
import mqtt, { type MqttClient } from 'mqtt'
import { topics } from '../../gateway/contract/topics.ts'
import { toMessage, type AdapterReading, type HardwareStatus, type ReadingOutlet } from './outlet.ts'

export interface MqttOutletOptions {
  url: string
  store: string
  device: string
  adapterId: string
  password: string
  maxQueued?: number
  reconnectPeriodMs?: number
  onError?: (err: Error) => void
}

export interface MqttOutlet extends ReadingOutlet {
  readonly client: MqttClient
  stats(): { published: number; acked: number; dropped: number; queued: number }
  close(): Promise<void>
}

export function mqttOutlet(o: MqttOutletOptions): MqttOutlet {
  const statusTopic = topics.deviceStatus(o.store, o.device)
  const client = mqtt.connect(o.url, {
    clientId: `${o.device}:${o.adapterId}`,
    username: o.device,
    password: o.password,
    protocolVersion: 4,
    clean: true,
    reconnectPeriod: o.reconnectPeriodMs ?? 2000,
    connectTimeout: 10_000,
    will: { topic: statusTopic, payload: Buffer.from('{"online":false}'), qos: 1, retain: true },
  })
  const maxQueued = o.maxQueued ?? 5000
  let seq = 0
  let published = 0
  let acked = 0
  let dropped = 0
  let lastStatus: HardwareStatus | undefined

  const sendStatus = (s: HardwareStatus) => {
    client.publish(statusTopic, JSON.stringify({ ...s, ts: Date.now() }), { qos: 1, retain: true }, (err) => {
      if (err) o.onError?.(err)
    })
  }
  client.on('connect', () => {
    if (lastStatus) sendStatus(lastStatus)
  })
  client.on('error', (err) => o.onError?.(err))

  return {
    client,
    reading(r: AdapterReading) {
      if (published - acked >= maxQueued) {
        dropped++
        return
      }
      const m = toMessage(o.store, r, seq++)
      published++
      client.publish(m.topic, JSON.stringify(m.payload), { qos: 1 }, () => {
        acked++
      })
    },
    status(s: HardwareStatus) {
      lastStatus = s
      if (client.connected) sendStatus(s)
    },
    stats: () => ({ published, acked, dropped, queued: published - acked }),
    async close() {
      // Say goodbye properly: a clean DISCONNECT suppresses the will, so publish the offline status first.
      if (client.connected) {
        await client.publishAsync(statusTopic, JSON.stringify({ online: false, reason: 'adapter stopped', ts: Date.now() }), { qos: 1, retain: true }).catch(() => {})
      }
      await client.endAsync().catch(() => {})
    },
  }
}
