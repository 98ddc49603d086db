/**
 * Starts a real gateway (real aedes on 127.0.0.1, ephemeral ports, temp data dir) with a small test
 * store, creates device credentials, and connects real `mqtt` clients.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt'
import { afterEach, beforeEach } from 'vitest'
import type { Reading } from '../../gateway/contract/readings.ts'
import { parseConfig } from '../../gateway/config/load.ts'
import type { StoreConfig } from '../../gateway/config/schema.ts'
import { createLogger } from '../../gateway/core/log.ts'
import { startGateway, type Gateway, type GatewayOptions } from '../../gateway/gateway.ts'
import { addDevices } from '../../gateway/security/credentials.ts'

export const TEST_STORE_YAML = (
  dataDir: string,
  extra = '',
  broker = '{ authFailuresPerMin: 50 }',
  listeners = '{ mqtt: { host: 127.0.0.1, port: 0 }, http: { host: 127.0.0.1, port: 0 } }',
  coldUnits = '[{ id: F1, name: Dairy fridge, class: chilled, device: cold-f1 }]',
) => `
store: { id: s1, name: Test store }
listeners: ${listeners}
dataDir: ${JSON.stringify(dataDir)}
broker: ${broker}
shelves:
  - id: A1
    device: shelf-a1
    lanes:
      - { id: L1, name: Milk, unitWeight: 262, capacity: 24, restockAt: 6 }
      - { id: L2, name: Eggs, unitWeight: 610, capacity: 8, restockAt: 2 }
  - id: B1
    device: shelf-b1
    lanes:
      - { id: L1, name: Water, unitWeight: 572, capacity: 12, restockAt: 3 }
coldUnits: ${coldUnits}
lockers:
  - id: K1
    name: Pickup locker
    device: locker-k1
    compartments: { count: 12, chilled: [1, 2] }
${extra}`

export interface Harness {
  gw: Gateway
  config: StoreConfig
  dir: string
  passwords: Record<string, string>
  logs: string[]
  url: string
  connect(id: string, opts?: IClientOptions): Promise<MqttClient>
  /** Resolves with the CONNACK error (or undefined if the connection was accepted). */
  connectError(opts: IClientOptions): Promise<Error | undefined>
  metric(name: string, labels?: Record<string, string>): Promise<number>
  stop(): Promise<void>
}

export const DEVICES = ['shelf-a1', 'shelf-b1', 'cold-f1', 'locker-k1'] as const

export interface HarnessOptions {
  extraYaml?: string
  /** YAML flow map for the `broker:` section. */
  broker?: string
  gateway?: Partial<GatewayOptions>
  devices?: string[]
  /** YAML flow sequence for the `coldUnits:` section (unit F1 on device cold-f1 by default). */
  coldUnits?: string
  /** YAML flow map for the `listeners:` section. */
  listeners?: string
  /** Data dir to use instead of a fresh one under the temp dir (e.g. on a small file system). */
  dataDir?: string
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'shelfgate-test-'))
  const config = parseConfig(TEST_STORE_YAML(options.dataDir ?? join(dir, 'data'), options.extraYaml, options.broker, options.listeners, options.coldUnits), 'test.yaml')
  // A low scrypt cost keeps provisioning fast; verification follows the cost recorded in each hash.
  const passwords = await addDevices(
    config.dataDir,
    [...(options.devices ?? DEVICES).map((id) => ({ id, kind: id.split('-')[0] as 'shelf' })), { id: 'ops', kind: 'service' as const }],
    1024,
  )
  const logs: string[] = []
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk))
      cb()
    },
  })
  // Broker-level tests run the gateway without capabilities unless they ask for some.
  const gw = await startGateway({ config, log: createLogger('debug', sink as never), services: [], ...options.gateway })
  const url = `mqtt://127.0.0.1:${gw.ports.mqtt}`
  const clients: MqttClient[] = []

  const connect = (id: string, opts: IClientOptions = {}) =>
    new Promise<MqttClient>((resolve, reject) => {
      const c = mqtt.connect(url, { clientId: id, username: id, password: passwords[id], reconnectPeriod: 0, protocolVersion: 4, connectTimeout: 5000, ...opts })
      clients.push(c)
      c.once('connect', () => resolve(c))
      c.once('error', reject)
    })

  const connectError = (opts: IClientOptions) =>
    new Promise<Error | undefined>((resolve) => {
      const c = mqtt.connect(url, { reconnectPeriod: 0, protocolVersion: 4, connectTimeout: 5000, ...opts })
      clients.push(c)
      c.once('connect', () => resolve(undefined))
      c.once('error', (err) => resolve(err))
    })

  const metric = async (name: string, labels: Record<string, string> = {}) => {
    const text = await (await fetch(`http://127.0.0.1:${gw.ports.http}/metrics`)).text()
    const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`)
    let total = 0
    for (const line of text.split('\n')) {
      if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue
      if (want.every((w) => line.includes(w))) total += Number(line.slice(line.lastIndexOf(' ') + 1))
    }
    return total
  }

  return {
    gw,
    config,
    dir,
    passwords,
    logs,
    url,
    connect,
    connectError,
    metric,
    async stop() {
      await Promise.all(clients.map((c) => c.endAsync(true).catch(() => {})))
      await gw.stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Collects messages for a topic filter on an already-connected client. */
export function collect(client: MqttClient): { topic: string; payload: string; retain: boolean }[] {
  const got: { topic: string; payload: string; retain: boolean }[] = []
  client.on('message', (topic, payload, packet) => got.push({ topic, payload: payload.toString(), retain: packet.retain }))
  return got
}

/** Polls until `check` returns true (bounded), for effects that cross sockets. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs
  while (Date.now() < until) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 20))
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
}

/**
 * A fresh gateway per test of the calling suite, with the readings it accepted collected:
 * `const g = useGateway()` then `g.h`, `g.readings`. Registers its own beforeEach/afterEach.
 */
export function useGateway(options: HarnessOptions = {}): { readonly h: Harness; readonly readings: Reading[] } {
  const box = { h: undefined as unknown as Harness, readings: [] as Reading[] }
  beforeEach(async () => {
    box.h = await startHarness(options)
    box.readings = []
    box.h.gw.bus.on('reading', box.readings, (r) => void box.readings.push(r))
  })
  afterEach(async () => {
    await box.h.stop()
  })
  return {
    get h() {
      return box.h
    },
    get readings() {
      return box.readings
    },
  }
}
