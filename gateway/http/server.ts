/**
 * The gateway's HTTP side: /healthz and /metrics now; the staff page and REST API mount here too.
 * fastify: a well-kept server with routing, schemas and hooks we would otherwise write by hand.
 */
import Fastify, { type FastifyInstance } from 'fastify'
import type { Metrics } from './metrics.ts'
import { listenError } from '../broker/broker.ts'

export interface Health {
  status: 'ok' | 'degraded'
  broker: { up: boolean; clients: number }
  storage: { healthy: boolean; error?: string }
  uptimeS: number
}

export interface HttpDeps {
  host: string
  port: number
  metrics: Metrics
  health: () => Health
}

export interface HttpServer {
  app: FastifyInstance
  /** Starts listening; routes must be registered before. Returns the bound port. */
  listen(): Promise<number>
  close(): Promise<void>
}

/** Creates the server with /healthz and /metrics; services add their routes before listen(). */
export function createHttp(deps: HttpDeps): HttpServer {
  const app = Fastify({ logger: false, forceCloseConnections: true, bodyLimit: 256 * 1024 })
  app.get('/healthz', async (_req, reply) => {
    const h = deps.health()
    return reply.code(h.status === 'ok' ? 200 : 503).send(h)
  })
  app.get('/metrics', async (_req, reply) => {
    reply.header('content-type', deps.metrics.registry.contentType)
    return deps.metrics.registry.metrics()
  })
  return {
    app,
    async listen() {
      await app.listen({ host: deps.host, port: deps.port }).catch((err: NodeJS.ErrnoException) => {
        throw listenError('HTTP', deps.host, deps.port, err)
      })
      const addr = app.server.address()
      return typeof addr === 'object' && addr ? addr.port : deps.port
    },
    close: () => app.close(),
  }
}
