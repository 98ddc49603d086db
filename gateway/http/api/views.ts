/** Read-only views for the staff page: shelves, cold units (+24 h history), lockers, devices. */
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { DeviceStats } from '../../broker/deviceStats.ts'
import type { SharedApis } from '../../core/apis.ts'
import type { Guard } from './auth.ts'

const unavailable = (reply: FastifyReply, what: string) =>
  reply.code(503).send({ error: 'unavailable', message: `the ${what} service is not running on this gateway` })

const DAY = 24 * 3_600_000

export function registerViews(app: FastifyInstance, deps: { shared: SharedApis; stats: DeviceStats; now: () => number; guard: Guard }): void {
  const { shared, stats, now, guard } = deps
  app.get('/api/shelves', async (req, reply) => {
    if (!guard(req, reply)) return reply
    if (!shared.shelves) return unavailable(reply, 'shelf')
    return { lanes: shared.shelves.lanes() }
  })

  app.get('/api/cold', async (req, reply) => {
    if (!guard(req, reply)) return reply
    if (!shared.cold) return unavailable(reply, 'cold-chain')
    return { units: shared.cold.units() }
  })

  app.get('/api/cold/:unit/history', async (req, reply) => {
    if (!guard(req, reply)) return reply
    const cold = shared.cold
    if (!cold) return unavailable(reply, 'cold-chain')
    const { unit } = req.params as { unit: string }
    if (!cold.units().some((u) => u.id === unit)) return reply.code(404).send({ error: 'not_found', message: `no cold unit ${unit}` })
    const q = req.query as { from?: string; to?: string }
    const to = q.to === undefined ? now() : Number(q.to)
    const from = q.from === undefined ? to - DAY : Number(q.from)
    if (!Number.isFinite(from) || !Number.isFinite(to) || from >= to || to - from > 31 * DAY) {
      return reply.code(400).send({ error: 'bad_request', message: 'from and to are ms since epoch, from < to, at most 31 days apart' })
    }
    return { unit, from, to, points: await cold.history(unit, from, to) }
  })

  app.get('/api/lockers', async (req, reply) => {
    if (!guard(req, reply)) return reply
    if (!shared.lockers) return unavailable(reply, 'locker')
    return { lockers: shared.lockers.lockers() }
  })

  app.get('/api/devices', async (req, reply) => {
    if (!guard(req, reply)) return reply
    const devices = stats.all().map((d) => ({
      device: d.device,
      online: d.connected,
      ...(d.lastSeen === undefined ? {} : { lastSeen: d.lastSeen }),
      readings: d.readings,
      refused: Object.values(d.refused).reduce((a: number, b) => a + (b ?? 0), 0),
      refusedByReason: d.refused,
      ...(d.lastRefusal ? { lastRefusal: d.lastRefusal } : {}),
    }))
    return { devices: devices.sort((a, b) => a.device.localeCompare(b.device)) }
  })
}
