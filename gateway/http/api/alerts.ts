/** /api/alerts: list, read (with audit trail), acknowledge, resolve. */
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { AlertsApi, SharedApis } from '../../core/apis.ts'
import type { Guard } from './auth.ts'

const unavailable = (reply: FastifyReply) =>
  reply.code(503).send({ error: 'unavailable', message: 'the alerts service is not running on this gateway' })

/** AlertError from the engine carries a code; map it to HTTP. */
function failure(reply: FastifyReply, err: unknown): FastifyReply {
  const code = (err as { code?: unknown }).code
  if (code === 'not-found') return reply.code(404).send({ error: 'not_found', message: (err as Error).message })
  if (code === 'already-resolved') return reply.code(409).send({ error: 'already_resolved', message: (err as Error).message })
  throw err
}

const text = (v: unknown, max: number): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, max) : undefined)

type WithAudit = AlertsApi & { audit?: (id: string) => Promise<unknown[]> }

export function registerAlertRoutes(app: FastifyInstance, shared: SharedApis, guard: Guard): void {
  app.get('/api/alerts', async (req, reply) => {
    if (!guard(req, reply)) return reply
    const api = shared.alerts
    if (!api) return unavailable(reply)
    const q = req.query as { status?: string; limit?: string }
    const status = q.status === 'all' ? 'all' : 'active'
    const limit = q.limit === undefined ? undefined : Number(q.limit)
    if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) return reply.code(400).send({ error: 'bad_request', message: 'limit must be a positive integer' })
    return { alerts: await api.list({ status, ...(limit ? { limit } : {}) }) }
  })

  app.get('/api/alerts/:id', async (req, reply) => {
    if (!guard(req, reply)) return reply
    const api = shared.alerts as WithAudit | undefined
    if (!api) return unavailable(reply)
    const { id } = req.params as { id: string }
    const alert = await api.get(id)
    if (!alert) return reply.code(404).send({ error: 'not_found', message: `no alert with id ${id}` })
    return { alert, audit: api.audit ? await api.audit(id) : [] }
  })

  app.post('/api/alerts/:id/ack', async (req, reply) => {
    const session = guard(req, reply, { act: true })
    if (!session) return reply
    const api = shared.alerts
    if (!api) return unavailable(reply)
    const { id } = req.params as { id: string }
    const note = text((req.body as { note?: unknown } | undefined)?.note, 500)
    try {
      return { alert: await api.acknowledge(id, session.name, note) }
    } catch (err) {
      return failure(reply, err)
    }
  })

  app.post('/api/alerts/:id/resolve', async (req, reply) => {
    const session = guard(req, reply, { act: true })
    if (!session) return reply
    const api = shared.alerts
    if (!api) return unavailable(reply)
    const { id } = req.params as { id: string }
    const action = text((req.body as { correctiveAction?: unknown } | undefined)?.correctiveAction, 1000)
    // HACCP: a hand-closed alert must say what was done about it.
    if (!action) return reply.code(400).send({ error: 'bad_request', message: 'correctiveAction is required: say what was done' })
    try {
      return { alert: await api.resolve(id, session.name, action) }
    } catch (err) {
      return failure(reply, err)
    }
  })
}
