/**
 * The embedded MQTT broker: aedes with our hooks, on a TCP listener and optionally TLS and
 * MQTT-over-WebSocket. Owns sockets only; decisions live in hooks.ts and acl.ts.
 */
import '../core/quietDebug.ts'
import { Aedes, type Client } from 'aedes'
import { readFileSync } from 'node:fs'
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http'
import { createServer as createNetServer, type AddressInfo, type Server } from 'node:net'
import { createServer as createTlsServer } from 'node:tls'
import { WebSocketServer, createWebSocketStream } from 'ws'
import { createHooks, type HookDeps } from './hooks.ts'
import { createTopicEmitter } from './topicEmitter.ts'
import { FrameSizeGuard } from './frameSizeGuard.ts'

export interface BrokerOptions extends HookDeps {
  /** aedes persistence (retained, sessions, wills); in-memory when omitted. */
  persistence?: unknown
}

export interface BrokerHandle {
  aedes: Aedes
  /** Bound ports (useful with port 0 in tests and the demo). */
  ports: { mqtt: number; mqtts?: number; ws?: number }
  /** Publishes as the gateway itself (state/, events/, alerts/, cmd/). */
  publish(topic: string, payload: unknown, opts?: { retain?: boolean; qos?: 0 | 1 }): Promise<void>
  /** Closes the connections of devices matching `pred` (e.g. after their credentials were revoked). */
  disconnectWhere(pred: (deviceId: string) => boolean): number
  close(): Promise<void>
}

/** Errors an operator can act on carry `operator: true`; the CLI prints them without a stack trace. */
export function listenError(what: string, host: string, port: number, err: NodeJS.ErrnoException): Error {
  const why =
    err.code === 'EADDRINUSE'
      ? 'the port is already in use (another broker such as Mosquitto, or another Shelfgate?)'
      : err.code === 'EACCES'
        ? 'permission denied (ports below 1024 need privileges)'
        : err.code === 'EADDRNOTAVAIL'
          ? 'this machine has no such address'
          : err.message
  return Object.assign(new Error(`cannot listen for ${what} on ${host}:${port}: ${why}. Choose another listeners.* port in the config (or --mqtt-port / --http-port for the demo).`), { operator: true })
}

function readTlsFile(path: string, key: string): Buffer {
  try {
    return readFileSync(path)
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    throw Object.assign(new Error(`cannot read ${path} (listeners.mqtts.${key}): ${e.code === 'ENOENT' ? 'no such file' : e.code === 'EACCES' ? 'permission denied for the service user' : e.message}`), { operator: true })
  }
}

function listen(server: Server | HttpServer, port: number, host: string, what = 'MQTT'): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(listenError(what, host, port, err)))
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve((server.address() as AddressInfo).port)
    })
  })
}

export async function startBroker(opts: BrokerOptions): Promise<BrokerHandle> {
  const { config, metrics, stats, bus, log } = opts
  const hooks = createHooks(opts)
  const aedes = await Aedes.createBroker({
    id: `shelfgate-${config.store.id}`,
    persistence: opts.persistence,
    drainTimeout: config.broker.drainTimeoutMs,
    mq: createTopicEmitter(),
    // A device that connects and says nothing is dropped quickly; boards reconnect on their own.
    connectTimeout: 10_000,
    // Wills of devices that were connected when the gateway died are swept every 4 heartbeats.
    heartbeatInterval: 15_000,
    authenticate: hooks.authenticate,
    authorizePublish: hooks.authorizePublish,
    authorizeSubscribe: hooks.authorizeSubscribe,
    authorizeForward: hooks.authorizeForward,
  })

  const deviceOf = (client: Client) => hooks.principals.get(client)?.id
  aedes.on('clientReady', (client) => {
    const device = deviceOf(client)
    if (!device) return
    metrics.devicesConnected.inc()
    stats.get(device).connected = true
    bus.emit('deviceConnected', { device, clientId: client.id, remote: (client.conn as { remoteAddress?: string }).remoteAddress ?? '' })
    log.debug({ device, clientId: client.id }, 'device connected')
  })
  aedes.on('clientDisconnect', (client) => {
    const device = deviceOf(client)
    if (!device) return
    metrics.devicesConnected.dec()
    stats.get(device).connected = false
    bus.emit('deviceDisconnected', { device, clientId: client.id })
    log.debug({ device, clientId: client.id }, 'device disconnected')
  })
  aedes.on('clientError', (client, err) => {
    log.debug({ device: deviceOf(client) ?? client.id, err: err.message }, 'client error')
  })
  aedes.on('connectionError', (client, err) => {
    log.debug({ clientId: client?.id, err: err.message }, 'connection error')
  })

  const maxPacket = config.broker.maxPacketBytes
  const handle = (conn: Parameters<Aedes['handle']>[0], req?: Parameters<Aedes['handle']>[1]) => {
    const client = aedes.handle(conn, req)
    const parser = (client as unknown as { _parser: { parse(buf: Buffer): unknown } })._parser
    const guard = new FrameSizeGuard(maxPacket)
    const parse = parser.parse.bind(parser)
    parser.parse = (buf: Buffer) => {
      const tooBig = guard.scan(buf)
      if (tooBig === undefined) return parse(buf)
      metrics.refused.inc({ reason: 'oversize' })
      log.warn({ clientId: client.id, device: deviceOf(client), packetBytes: tooBig, limit: maxPacket }, `MQTT packet of ${tooBig} bytes is over the ${maxPacket}-byte limit; connection closed`)
      conn.destroy()
      return 0
    }
    return client
  }

  const servers: (Server | HttpServer)[] = []
  const ports: BrokerHandle['ports'] = { mqtt: 0 }
  try {
    const tcp = createNetServer((socket) => handle(socket))
    servers.push(tcp)
    ports.mqtt = await listen(tcp, config.listeners.mqtt.port, config.listeners.mqtt.host)

    const l = config.listeners
    if (l.mqtts) {
      const tlsFiles = { cert: readTlsFile(l.mqtts.cert, 'cert'), key: readTlsFile(l.mqtts.key, 'key'), ...(l.mqtts.ca ? { ca: readTlsFile(l.mqtts.ca, 'ca') } : {}) }
      const tls = createTlsServer(tlsFiles, (socket) => handle(socket))
      servers.push(tls)
      ports.mqtts = await listen(tls, l.mqtts.port, l.mqtts.host, 'MQTT over TLS')
    }
    if (l.ws) {
      const http = createHttpServer()
      const wss = new WebSocketServer({ server: http, maxPayload: maxPacket + 8 })
      wss.on('connection', (socket, req) => handle(createWebSocketStream(socket), req))
      servers.push(http)
      ports.ws = await listen(http, l.ws.port, l.ws.host, 'MQTT over WebSocket')
    }

  } catch (err) {
    // A listener that cannot bind must not leave the broker's timers keeping the process alive.
    for (const s of servers) s.close()
    await new Promise<void>((r) => aedes.close(() => r()))
    throw err
  }

  return {
    aedes,
    ports,
    publish(topic, payload, o = {}) {
      const buf = Buffer.isBuffer(payload) ? payload : Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload))
      return new Promise((resolve, reject) =>
        aedes.publish({ cmd: 'publish', topic, payload: buf, qos: o.qos ?? 1, retain: o.retain ?? false, dup: false }, (err) => (err ? reject(err) : resolve())),
      )
    },
    disconnectWhere(pred) {
      let n = 0
      for (const client of Object.values((aedes as unknown as { clients: Record<string, Client> }).clients)) {
        const device = deviceOf(client)
        if (device && pred(device)) {
          client.close()
          n++
        }
      }
      return n
    },
    async close() {
      // Stop accepting first, then let aedes disconnect its clients so the servers can finish closing.
      const closed = servers.map((s) => new Promise<void>((r) => s.close(() => r())))
      await new Promise<void>((r) => aedes.close(() => r()))
      for (const s of servers) if ('closeAllConnections' in s) s.closeAllConnections()
      await Promise.all(closed)
    },
  }
}
