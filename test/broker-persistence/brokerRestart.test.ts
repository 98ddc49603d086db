import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { MqttClient } from 'mqtt'
import { connect, eventually, startBroker, startBrokerProcess } from './brokerHarness.ts'
import type { BrokerProcess, Connected, RunningBroker } from './brokerHarness.ts'
import { drain, openStore, tempDir } from './storeHelpers.ts'

// A real aedes on 127.0.0.1 with mqtt.js clients: the gateway restarts (gracefully, or killed -9
// in a child process) and the staff page, phones and devices see what they saw before.

let dir: Awaited<ReturnType<typeof tempDir>>
let files = 0
const freshFile = () => join(dir.path, `e2e-${files++}.db`)
beforeAll(async () => {
  dir = await tempDir('broker-e2e')
})
afterAll(() => dir.cleanup())

// Whatever a test leaves running is stopped, even when it fails half-way.
const clients: MqttClient[] = []
const brokers: RunningBroker[] = []
const processes: BrokerProcess[] = []
async function client(port: number, opts: Parameters<typeof connect>[1] = {}): Promise<Connected> {
  const connected = await connect(port, opts)
  connected.client.on('error', () => {}) // a killed broker resets the socket; the tests check what matters
  clients.push(connected.client)
  return connected
}
async function broker(opts: Parameters<typeof startBroker>[0]): Promise<RunningBroker> {
  const b = await startBroker(opts)
  brokers.push(b)
  return b
}
async function restart(b: RunningBroker, opts: Parameters<typeof startBroker>[0]): Promise<RunningBroker> {
  brokers.splice(brokers.indexOf(b), 1)
  await b.stop()
  return broker(opts)
}
afterEach(async () => {
  for (const c of clients.splice(0)) c.end(true)
  for (const p of processes.splice(0)) await p.crash()
  for (const b of brokers.splice(0)) await b.stop()
})

const ALERTS = 'shelfgate/s1/alerts/#'

describe('gateway broker restart', () => {
  it('gives a new subscriber the retained state published before a restart, without cleared topics', async () => {
    const dbPath = freshFile()
    const first = await broker({ dbPath })
    const { client: rules } = await client(first.port, { clientId: 'rules' })
    await rules.publishAsync('shelfgate/s1/state/cold/f1', '{"c":3.6}', { qos: 1, retain: true })
    await rules.publishAsync('shelfgate/s1/state/cold/f2', '{"c":4.1}', { qos: 1, retain: true })
    await rules.publishAsync('shelfgate/s1/state/cold/f2', '', { qos: 1, retain: true }) // unit removed
    await rules.endAsync()

    const second = await restart(first, { dbPath })
    const { client: staffPage, inbox } = await client(second.port, { clientId: 'staff-page' })
    await staffPage.subscribeAsync('shelfgate/s1/state/#', { qos: 1 })
    const [state] = await inbox.next(1)
    expect(state).toEqual({ topic: 'shelfgate/s1/state/cold/f1', payload: '{"c":3.6}', retain: true, qos: 1 })
    // The cleared topic would arrive right behind the first one; give it the chance to.
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(inbox.messages).toHaveLength(1)
  })

  it('delivers QoS 1 alerts published while a persistent session was offline, after a restart, once', async () => {
    const dbPath = freshFile()
    const first = await broker({ dbPath })
    const { client: phone } = await client(first.port, { clientId: 'staff-phone-1', clean: false })
    await phone.subscribeAsync(ALERTS, { qos: 1 })
    await phone.endAsync()

    const { client: rules } = await client(first.port, { clientId: 'rules' })
    for (const id of ['a1', 'a2', 'a3']) await rules.publishAsync(`shelfgate/s1/alerts/${id}`, `{"id":"${id}"}`, { qos: 1 })
    await rules.endAsync()

    const second = await restart(first, { dbPath })
    // No SUBSCRIBE this time: the session, its subscription and its queue come from the file.
    const again = await client(second.port, { clientId: 'staff-phone-1', clean: false })
    expect(again.sessionPresent).toBe(true)
    const alerts = await again.inbox.next(3)
    expect(alerts.map((m) => [m.topic, m.qos])).toEqual([
      ['shelfgate/s1/alerts/a1', 1],
      ['shelfgate/s1/alerts/a2', 1],
      ['shelfgate/s1/alerts/a3', 1],
    ])

    // Acknowledged messages leave the queue, on disk too: the next restart does not replay them.
    await eventually(async () => (await drain(second.persistence.outgoingStream({ id: 'staff-phone-1' }))).length === 0)
    await again.client.endAsync()
    brokers.splice(brokers.indexOf(second), 1)
    await second.stop()
    const store = await openStore(dbPath)
    expect(await drain(store.outgoingStream({ id: 'staff-phone-1' }))).toEqual([])
    expect(await store.subscriptionsByClient({ id: 'staff-phone-1' })).toMatchObject([{ topic: ALERTS, qos: 1 }])
    await store.destroy()
  })

  it('delivers alerts acknowledged with QoS 2 to an offline persistent session after the gateway is killed -9', async () => {
    const dbPath = freshFile()
    const crashed = await startBrokerProcess(dbPath, 'gateway')
    processes.push(crashed)
    const { client: phone } = await client(crashed.port, { clientId: 'staff-phone-1', clean: false })
    await phone.subscribeAsync(ALERTS, { qos: 1 })
    await phone.endAsync()
    const { client: rules } = await client(crashed.port, { clientId: 'rules' })
    // QoS 2: aedes queues for offline sessions before PUBREC (for QoS 1 it sends PUBACK first).
    for (const id of ['a1', 'a2']) await rules.publishAsync(`shelfgate/s1/alerts/${id}`, `{"id":"${id}"}`, { qos: 2 })
    await crashed.crash()

    const restarted = await broker({ dbPath, id: 'gateway' })
    const again = await client(restarted.port, { clientId: 'staff-phone-1', clean: false })
    expect(again.sessionPresent).toBe(true)
    const alerts = await again.inbox.next(2)
    expect(alerts.map((m) => m.payload)).toEqual(['{"id":"a1"}', '{"id":"a2"}'])
  })

  it.each([
    ['the same broker id', 'gateway'],
    ['a new broker id', 'gateway-2'],
  ])('publishes the will of a device connected when the gateway was killed -9, restarted with %s', async (_label, nextId) => {
    const dbPath = freshFile()
    const crashed = await startBrokerProcess(dbPath, 'gateway')
    processes.push(crashed)
    const status = 'shelfgate/s1/device/shelf-7/status'
    // aedes stores the will before CONNACK, so once connected it is on disk.
    await client(crashed.port, { clientId: 'shelf-7', will: { topic: status, payload: Buffer.from('{"online":false}'), qos: 1, retain: true } })
    await crashed.crash()

    // aedes sweeps wills of dead brokers every 4 heartbeats; a short heartbeat keeps the test quick.
    const restarted = await broker({ dbPath, id: nextId, heartbeatInterval: 100 })
    const { client: staffPage, inbox } = await client(restarted.port, { clientId: 'staff-page' })
    await staffPage.subscribeAsync(status, { qos: 1 })
    const [will] = await inbox.next(1)
    expect(will).toMatchObject({ topic: status, payload: '{"online":false}' })

    // Published once: gone from the store, and kept as the device's retained status.
    await eventually(async () => (await restarted.persistence.getWill({ id: 'shelf-7' })) === undefined)
    brokers.splice(brokers.indexOf(restarted), 1)
    await restarted.stop()
    const store = await openStore(dbPath)
    expect(await store.getWill({ id: 'shelf-7' })).toBeUndefined()
    expect((await drain(store.createRetainedStream(status))).length).toBe(1)
    await store.destroy()
  })
})
