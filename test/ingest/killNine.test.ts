import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mqtt, { type MqttClient } from 'mqtt'
import sqlite3 from 'sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { seededRandom } from '../../firmware-sim/random.ts'
import { addDevices } from '../../gateway/security/credentials.ts'
import { freePort, startGatewayProcess, type GatewayProcess } from '../support/gatewayProcess.ts'

const CLIENTS = 50
const PER_CLIENT = 220 // 11,000 readings
const KILLS = 4

const dir = mkdtempSync(join(tmpdir(), 'shelfgate-kill9-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function storeYaml(dataDir: string, mqttPort: number, httpPort: number): string {
  const shelves = Array.from({ length: CLIENTS }, (_, i) => `  - { id: S${i}, device: dev-${i}, lanes: [{ id: L1, name: Lane, unitWeight: 10, capacity: 1000 }] }`)
  return `store: { id: k9, name: Kill nine }
listeners:
  mqtt: { host: 127.0.0.1, port: ${mqttPort} }
  http: { host: 127.0.0.1, port: ${httpPort} }
dataDir: ${JSON.stringify(dataDir)}
log: { level: warn }
broker: { publishRatePerSec: 100000, publishBurst: 100000 }
shelves:
${shelves.join('\n')}
`
}

function query<T>(file: string, sql: string): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (err) => {
      if (err) return reject(err)
      db.all(sql, (e, rows) => db.close(() => (e ? reject(e) : resolve(rows as T[]))))
    })
  })
}

/** One device: publishes its readings in order, a few in flight, and resends any that were not acknowledged. */
function runDevice(url: string, i: number, password: string, acked: Set<string>): { client: MqttClient; done: Promise<void> } {
  const client = mqtt.connect(url, { clientId: `dev-${i}`, username: `dev-${i}`, password, clean: false, reconnectPeriod: 100, connectTimeout: 2000 })
  client.on('error', () => {})
  // Distinct, recent device timestamps (retention prunes raw readings older than 14 days).
  const base = Date.now() - 3_600_000 + i * 10_000
  const done = new Promise<void>((resolve) => {
    let next = 0
    let inFlight = 0
    const pump = () => {
      while (inFlight < 4 && next < PER_CLIENT) {
        const seq = next++
        inFlight++
        const send = () =>
          client.publish(`shelfgate/k9/shelf/S${i}/L1/weight`, JSON.stringify({ g: seq * 10, seq, ts: base + seq }), { qos: 1 }, (err) => {
            if (err) return void setTimeout(send, 100) // not acknowledged: the firmware sends it again
            acked.add(`dev-${i}|${seq}`)
            inFlight--
            if (acked.size % 1000 === 0) process.stderr.write(`kill9: ${acked.size} acknowledged\n`)
            if (next >= PER_CLIENT && inFlight === 0) resolve()
            else pump()
          })
        send()
      }
    }
    client.once('connect', pump)
  })
  return { client, done }
}

describe('durable ingest under kill -9', () => {
  it('keeps every reading whose PUBACK a device received, exactly once, across repeated kill -9 of the gateway', async () => {
    const mqttPort = await freePort()
    const httpPort = await freePort()
    const config = join(dir, 'store.yaml')
    const dataDir = join(dir, 'data')
    writeFileSync(config, storeYaml(dataDir, mqttPort, httpPort))
    const passwords = await addDevices(dataDir, Array.from({ length: CLIENTS }, (_, i) => ({ id: `dev-${i}`, kind: 'shelf' as const })), 1024)

    let gw: GatewayProcess = await startGatewayProcess(config, httpPort)
    const acked = new Set<string>()
    const devices = Array.from({ length: CLIENTS }, (_, i) => runDevice(`mqtt://127.0.0.1:${mqttPort}`, i, passwords[`dev-${i}`] as string, acked))
    const allDone = Promise.all(devices.map((d) => d.done))

    const rand = seededRandom(9)
    const killedAt: number[] = []
    for (let k = 0; k < KILLS; k++) {
      // Kill at a random moment while readings are flowing (spread over the run).
      const target = ((k + 0.3 + rand() * 0.6) / (KILLS + 1)) * CLIENTS * PER_CLIENT
      while (acked.size < target) await new Promise((r) => setTimeout(r, 5))
      killedAt.push(acked.size)
      await gw.kill9()
      gw = await startGatewayProcess(config, httpPort)
    }
    await allDone
    await Promise.all(devices.map((d) => d.client.endAsync()))
    expect(await gw.stop()).toBe(0)

    const db = join(dataDir, 'shelfgate.db')
    const rows = await query<{ device: string; seq: number; n: number }>(db, 'SELECT device, seq, COUNT(*) AS n FROM readings WHERE kind = \'shelf.weight\' GROUP BY device, seq')
    const stored = new Map(rows.map((r) => [`${r.device}|${r.seq}`, r.n]))
    const missing = [...acked].filter((k) => !stored.has(k))
    const doubled = rows.filter((r) => r.n > 1)
    expect(killedAt).toHaveLength(KILLS)
    expect(acked.size).toBe(CLIENTS * PER_CLIENT)
    expect(missing).toEqual([])
    expect(doubled).toEqual([])
  }, 120_000)
})
