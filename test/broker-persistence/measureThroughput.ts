// QoS 1 throughput to one online subscriber, aedes' in-memory persistence against the SQLite store.
// Not a test (vitest only runs *.test.ts): `npx node test/broker-persistence/measureThroughput.ts`.
// Publishers run in a child process so the load generator does not share the broker's event loop.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Aedes } from 'aedes'
import mqtt from 'mqtt'
import { createSqlitePersistence } from '../../gateway/broker/persistence/sqlitePersistence.ts'

const PUBLISHERS = 20
const PER_PUBLISHER = 2_500
const WINDOW = 100 // QoS 1 publishes in flight per publisher

async function publishers(port: number): Promise<void> {
  const clients = await Promise.all(
    Array.from({ length: PUBLISHERS }, (_, i) =>
      mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: `shelf-${i}`, protocolVersion: 4, reconnectPeriod: 0 }),
    ),
  )
  process.stdout.write('ready\n')
  await Promise.all(
    clients.map(async (client, i) => {
      for (let sent = 0; sent < PER_PUBLISHER; sent += WINDOW) {
        const batch = Array.from({ length: WINDOW }, () =>
          client.publishAsync(`shelfgate/s1/shelf/a/${i}/weight`, '{"g":1523.4}', { qos: 1 }),
        )
        await Promise.all(batch)
      }
    }),
  )
  await Promise.all(clients.map((c) => c.endAsync()))
}

async function measure(store: 'memory' | 'sqlite', session: 'clean' | 'persistent', dir: string): Promise<string> {
  const persistence = store === 'sqlite' ? await createSqlitePersistence({ path: join(dir, `${session}-${Date.now()}.db`) }) : undefined
  const broker = await Aedes.createBroker(persistence === undefined ? {} : { persistence })
  const server = createServer(broker.handle).listen(0, '127.0.0.1')
  await once(server, 'listening')
  const port = (server.address() as AddressInfo).port

  const subscriber = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
    clientId: 'staff-page',
    clean: session === 'clean',
    protocolVersion: 4,
    reconnectPeriod: 0,
  })
  await subscriber.subscribeAsync('shelfgate/#', { qos: 1 })
  const total = PUBLISHERS * PER_PUBLISHER
  let received = 0
  const allReceived = new Promise<void>((resolve) =>
    subscriber.on('message', () => {
      if (++received === total) resolve()
    }),
  )

  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'publish', String(port)], { stdio: ['ignore', 'pipe', 'inherit'] })
  await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve()))
  const started = performance.now()
  await allReceived
  const seconds = (performance.now() - started) / 1000
  await once(child, 'exit')

  await subscriber.endAsync()
  await new Promise<void>((resolve) => broker.close(() => resolve()))
  server.close()
  const stats = persistence?.stats()
  await persistence?.destroy()
  const extra = stats === undefined ? '' : ` (${stats.commits} commits, ${stats.rows} rows)`
  return `${store.padEnd(6)} ${session.padEnd(10)} ${Math.round(total / seconds)} msgs/s${extra}`
}

if (process.argv[2] === 'publish') {
  await publishers(Number(process.argv[3]))
} else {
  const dir = await mkdtemp(join(tmpdir(), 'shelfgate-broker-bench-'))
  try {
    console.log(`${PUBLISHERS} publishers × ${PER_PUBLISHER} QoS 1 messages → 1 subscriber (QoS 1)`)
    for (let round = 1; round <= 3; round++) {
      for (const session of ['clean', 'persistent'] as const) {
        for (const store of ['memory', 'sqlite'] as const) console.log(`round ${round}: ${await measure(store, session, dir)}`)
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
