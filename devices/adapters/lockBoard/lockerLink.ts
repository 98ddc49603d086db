/**
 * The lock-board adapter's connection to the gateway: locker events out, unlock commands in, the
 * bus's status. `mqttLockerLink` logs in as the locker's device through `mqttOutlet` (client id
 * `{device}:{adapterId}`, retained status, last will `{"online":false}`), publishes
 * `shelfgate/{store}/locker/{locker}/{slot}/event` at QoS 1 and subscribes to
 * `shelfgate/{store}/cmd/locker/{locker}/#` (again on every reconnect: the session is clean).
 */
import { TOPIC_ROOT, topics } from '../../../gateway/contract/topics.ts'
import type { LockerEventType } from '../../../gateway/contract/payloads.ts'
import { mqttOutlet, type MqttOutlet, type MqttOutletOptions } from '../mqttOutlet.ts'
import type { HardwareStatus } from '../outlet.ts'

export interface UnlockCommand {
  slot: number
  /** When the gateway sent it (ms), if the payload says. */
  at?: number
  by?: string
}

export interface LockerLink {
  event(slot: number, type: LockerEventType, ts: number): void
  status(s: HardwareStatus): void
  onUnlock(handler: (cmd: UnlockCommand) => void): void
}

export interface MqttLockerLink extends LockerLink {
  readonly outlet: MqttOutlet
  stats(): Record<string, number>
  close(): Promise<void>
}

/** `…/cmd/locker/{locker}/{slot}/unlock` with its JSON payload → a command, or undefined. Pure. */
export function parseUnlockCommand(store: string, locker: string, topic: string, payload: Buffer | string): UnlockCommand | undefined {
  const p = topic.split('/')
  if (p.length !== 7 || p[0] !== TOPIC_ROOT || p[1] !== store || p[2] !== 'cmd' || p[3] !== 'locker' || p[4] !== locker || p[6] !== 'unlock') return undefined
  if (!/^[1-9]\d{0,2}$/.test(p[5] as string)) return undefined
  const slot = Number(p[5])
  let body: unknown
  try {
    body = JSON.parse(payload.toString())
  } catch {
    body = {}
  }
  const b = body && typeof body === 'object' ? (body as { at?: unknown; by?: unknown }) : {}
  return { slot, ...(typeof b.at === 'number' ? { at: b.at } : {}), ...(typeof b.by === 'string' ? { by: b.by } : {}) }
}

export function mqttLockerLink(o: MqttOutletOptions & { locker: string; maxQueued?: number }): MqttLockerLink {
  const outlet = mqttOutlet(o)
  const client = outlet.client
  const filter = `${TOPIC_ROOT}/${o.store}/cmd/locker/${o.locker}/#`
  const handlers: ((cmd: UnlockCommand) => void)[] = []
  const maxQueued = o.maxQueued ?? 5000
  let seq = 0
  let sent = 0
  let acked = 0
  let dropped = 0
  let commands = 0
  let ignored = 0
  const subscribe = () =>
    client.subscribe(filter, { qos: 1 }, (err, granted) => {
      if (err) o.onError?.(err)
      else if (granted?.some((g) => g.qos === 128)) o.onError?.(new Error(`subscription to ${filter} refused by the broker (is ${o.device} the device of locker ${o.locker}?)`))
    })
  client.on('connect', subscribe)
  client.on('message', (topic, payload) => {
    const cmd = parseUnlockCommand(o.store, o.locker, topic, payload)
    if (!cmd) {
      ignored++
      return
    }
    commands++
    for (const h of handlers) h(cmd)
  })
  return {
    outlet,
    event(slot, type, ts) {
      if (sent - acked >= maxQueued) {
        dropped++
        return
      }
      sent++
      client.publish(topics.lockerEvent(o.store, o.locker, slot), JSON.stringify({ type, ts, seq: seq++ }), { qos: 1 }, () => {
        acked++
      })
    },
    status: (s) => outlet.status(s),
    onUnlock: (h) => void handlers.push(h),
    stats: () => ({ events: sent, eventsAcked: acked, eventsDropped: dropped, commands, ignoredMessages: ignored }),
    close: () => outlet.close(),
  }
}
