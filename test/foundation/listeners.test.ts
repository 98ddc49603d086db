import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mqtt from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Reading } from '../../gateway/contract/readings.ts'
import { startHarness, type Harness } from '../support/gatewayHarness.ts'

// A throwaway self-signed certificate for 127.0.0.1, made with the system's openssl.
const certDir = mkdtempSync(join(tmpdir(), 'shelfgate-tls-'))
const cert = join(certDir, 'gateway.crt')
const key = join(certDir, 'gateway.key')
execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' })

let h: Harness
let readings: Reading[]
beforeAll(async () => {
  h = await startHarness({ listeners: `{ mqtt: { host: 127.0.0.1, port: 0 }, http: { host: 127.0.0.1, port: 0 }, mqtts: { host: 127.0.0.1, port: 0, cert: ${JSON.stringify(cert)}, key: ${JSON.stringify(key)} }, ws: { host: 127.0.0.1, port: 0 } }` })
  readings = []
  h.gw.bus.on('reading', readings, (r) => void readings.push(r))
})
afterAll(async () => {
  await h.stop()
  rmSync(certDir, { recursive: true, force: true })
})

describe('TLS and WebSocket listeners', () => {
  it('accepts a device over MQTT with TLS that trusts the gateway certificate', async () => {
    const c = await mqtt.connectAsync(`mqtts://127.0.0.1:${h.gw.ports.mqtts}`, { clientId: 'cold-f1', username: 'cold-f1', password: h.passwords['cold-f1'], ca: readFileSync(cert), reconnectPeriod: 0 })
    await c.publishAsync('shelfgate/s1/cold/F1/temp', '{"c":3.2}', { qos: 1 })
    await c.endAsync()
    expect(readings.map((r) => r.device)).toContain('cold-f1')
  })

  it('refuses a TLS client that does not trust the certificate', async () => {
    await expect(mqtt.connectAsync(`mqtts://127.0.0.1:${h.gw.ports.mqtts}`, { clientId: 'cold-f1', username: 'cold-f1', password: h.passwords['cold-f1'], reconnectPeriod: 0, connectTimeout: 3000 })).rejects.toThrow(/self-signed|certificate/i)
  })

  it('serves MQTT over WebSocket with the same login and ACL', async () => {
    const c = await mqtt.connectAsync(`ws://127.0.0.1:${h.gw.ports.ws}`, { clientId: 'shelf-a1', username: 'shelf-a1', password: h.passwords['shelf-a1'], reconnectPeriod: 0 })
    await c.publishAsync('shelfgate/s1/shelf/A1/L1/weight', '{"g":524}', { qos: 1 })
    await c.endAsync()
    expect(readings.some((r) => r.device === 'shelf-a1' && r.kind === 'shelf.weight')).toBe(true)
    const anon = await mqtt.connectAsync(`ws://127.0.0.1:${h.gw.ports.ws}`, { reconnectPeriod: 0, connectTimeout: 3000 }).then(() => 'connected', (err: Error) => err.message)
    expect(anon).toMatch(/Not authorized/i)
  })
})
