/**
 * The firmware simulator's runner: one MQTT connection per simulated device, with the device's own
 * credentials, publishing what real boards publish (topic contract v1) at their real rates.
 * The per-kind behaviour lives in small models; this file only schedules and publishes.
 */
import mqtt, { type MqttClient } from 'mqtt'
import type { StoreConfig } from '../gateway/config/schema.ts'
import { registryOf } from '../gateway/config/devices.ts'
import { topics } from '../gateway/contract/topics.ts'
import { createStoreModels, type SimModel } from './storeModels.ts'

export interface SimOptions {
  config: StoreConfig
  url: string
  /** device id → password */
  credentials: Record<string, string>
  /** Time compression for the models (1 = real time). Publishing rate is unaffected. */
  speed?: number
  seed?: number
  onProgress?: (line: string) => void
}

export interface Simulator {
  published(): number
  stop(): Promise<void>
}

export async function startSimulator(opts: SimOptions): Promise<Simulator> {
  const { config } = opts
  const registry = registryOf(config)
  const store = config.store.id
  const models = createStoreModels(config, opts.seed ?? 1)
  const clients = new Map<string, MqttClient>()
  let published = 0
  const timers: NodeJS.Timeout[] = []

  for (const device of registry.devices.values()) {
    const password = opts.credentials[device.id]
    if (!password) {
      opts.onProgress?.(`sim: no credentials for ${device.id}; skipping it`)
      continue
    }
    const client = mqtt.connect(opts.url, {
      clientId: device.id,
      username: device.id,
      password,
      protocolVersion: 4,
      clean: true,
      reconnectPeriod: 1000,
      will: { topic: topics.deviceStatus(store, device.id), payload: Buffer.from('{"online":false}'), qos: 1, retain: true },
    })
    client.on('connect', () => {
      client.publish(topics.deviceStatus(store, device.id), JSON.stringify({ online: true, fw: 'sim-1.0.0', battery: 0.9 }), { qos: 1, retain: true })
    })
    client.on('error', (err) => opts.onProgress?.(`sim: ${device.id}: ${err.message}`))
    clients.set(device.id, client)
  }

  const speed = opts.speed ?? 1
  const startedAt = Date.now()
  const schedule = (model: SimModel) => {
    const client = clients.get(model.device)
    if (!client) return
    if (model.commands && model.onCommand) {
      const filter = model.commands
      const onCommand = model.onCommand.bind(model)
      client.on('connect', () => void client.subscribeAsync(filter, { qos: 1 }).catch(() => {}))
      client.on('message', (topic) => {
        for (const msg of onCommand(topic, startedAt + (Date.now() - startedAt) * speed)) {
          client.publish(msg.topic, JSON.stringify(msg.payload), { qos: 1 })
          published++
        }
      })
    }
    const t = setInterval(() => {
      if (!client.connected) return
      const simNow = startedAt + (Date.now() - startedAt) * speed
      for (const msg of model.tick(simNow)) {
        client.publish(msg.topic, JSON.stringify(msg.payload), { qos: 1 })
        published++
      }
    }, model.intervalMs)
    timers.push(t)
  }
  models.forEach(schedule)

  return {
    published: () => published,
    async stop() {
      for (const t of timers) clearInterval(t)
      await Promise.all([...clients.values()].map((c) => c.endAsync()))
    },
  }
}
