import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { Aedes } from 'aedes'
import mqtt from 'mqtt'
import type { IClientOptions, MqttClient } from 'mqtt'
import { createSqlitePersistence } from '../../gateway/broker/persistence/sqlitePersistence.ts'
import type { SqlitePersistence } from '../../gateway/broker/persistence/sqlitePersistence.ts'

export interface RunningBroker {
  readonly port: number
  readonly broker: Aedes
  readonly persistence: SqlitePersistence
  /** Graceful shutdown in the gateway's order: broker, listener, then the store (which flushes). */
  stop(): Promise<void>
}

/** aedes on the SQLite store, listening on a free loopback port. */
export async function startBroker(opts: { dbPath: string; id?: string; heartbeatInterval?: number }): Promise<RunningBroker> {
  const persistence = await createSqlitePersistence({ path: opts.dbPath })
  const broker = await Aedes.createBroker({
    persistence,
    ...(opts.id === undefined ? {} : { id: opts.id }),
    ...(opts.heartbeatInterval === undefined ? {} : { heartbeatInterval: opts.heartbeatInterval }),
  })
  const server = createServer(broker.handle)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const port = (server.address() as AddressInfo).port
  return {
    port,
    broker,
    persistence,
    async stop() {
      await new Promise<void>((resolve) => broker.close(() => resolve()))
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await persistence.destroy()
    },
  }
}

export interface BrokerProcess {
  readonly port: number
  /** SIGKILL: no shutdown code runs, only what was committed survives. */
  crash(): Promise<void>
}

const brokerProcessFile = fileURLToPath(new URL('./brokerProcess.ts', import.meta.url))

/** The same broker in a child process (the Node running the tests also runs .ts files). */
export async function startBrokerProcess(dbPath: string, id: string): Promise<BrokerProcess> {
  const child = spawn(process.execPath, [brokerProcessFile, dbPath, id], { stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = once(child, 'exit')
  const port = await new Promise<number>((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const match = /listening (\d+)/.exec(out)
      if (match) resolve(Number(match[1]))
    })
    void exited.then(([code]) => reject(new Error(`broker process exited with ${String(code)} before listening`)))
  })
  return {
    port,
    async crash() {
      child.kill('SIGKILL')
      await exited
    },
  }
}

export interface Connected {
  readonly client: MqttClient
  /** Every message since before CONNACK: a restored session's queue can arrive in the same read. */
  readonly inbox: Inbox
  readonly sessionPresent: boolean
}

export async function connect(port: number, opts: IClientOptions = {}): Promise<Connected> {
  const client = mqtt.connect(`mqtt://127.0.0.1:${port}`, { protocolVersion: 4, reconnectPeriod: 0, ...opts })
  const inbox = collect(client)
  const connack = await new Promise<{ sessionPresent: boolean }>((resolve, reject) => {
    client.once('connect', resolve)
    client.once('error', reject)
  })
  return { client, inbox, sessionPresent: connack.sessionPresent }
}

export interface Received {
  readonly topic: string
  readonly payload: string
  readonly retain: boolean
  readonly qos: number
}

export interface Inbox {
  readonly messages: Received[]
  /** Waits for the first `count` messages. */
  next(count: number, timeoutMs?: number): Promise<Received[]>
}

function collect(client: MqttClient): Inbox {
  const messages: Received[] = []
  const waiters: (() => void)[] = []
  client.on('message', (topic, payload, packet) => {
    messages.push({ topic, payload: payload.toString(), retain: packet.retain, qos: packet.qos })
    for (const wake of waiters.splice(0)) wake()
  })
  return {
    messages,
    async next(count, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs
      while (messages.length < count) {
        const left = deadline - Date.now()
        if (left <= 0) throw new Error(`expected ${count} messages, got ${messages.length}: ${JSON.stringify(messages)}`)
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left)
          waiters.push(() => {
            clearTimeout(timer)
            resolve()
          })
        })
      }
      return messages.slice(0, count)
    },
  }
}

/** Polls until `check` holds: for state that aedes changes after a fire-and-forget call. */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
