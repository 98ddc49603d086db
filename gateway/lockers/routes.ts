/**
 * REST endpoints for group-buy orders in pickup lockers. The customer's pickup (a code) is open; the
 * others are staff / courier operations, which take the staff-login guard as a preHandler.
 *
 *   GET  /api/lockers                                        lockers and compartments (staff)
 *   POST /api/lockers/:locker/orders                         { orderId, tempClass?, deadline? } → { slot, code, … } (staff)
 *   POST /api/lockers/:locker/orders/:orderId/deposit        goods are in (courier / staff)
 *   POST /api/lockers/:locker/pickup                         { code } → unlock (customer)
 *   POST /api/lockers/:locker/compartments/:slot/open        { who, why } staff override, audited
 *   POST /api/lockers/:locker/compartments/:slot/release     { who } compartment checked, or reservation cancelled
 */
import type { FastifyInstance, preHandlerHookHandler } from 'fastify'
import { z } from 'zod'
import type { LockersApi } from '../core/apis.ts'

export interface LockerOps extends LockersApi {
  createOrder(input: { locker: string; orderId: string; tempClass: 'ambient' | 'chilled' | 'frozen'; deadline?: number; slot?: number; actor: string }): Promise<Result<{ slot: number; code: string; expiresAt: number; deadline: number }>>
  deposit(locker: string, orderId: string, actor: string): Promise<Result<{ slot: number; dueAt: number }>>
  pickup(locker: string, code: string): Promise<Result<{ slot: number; orderId: string }>>
  staffOpen(input: { locker: string; slot: number; who: string; why: string }): Promise<Result<object>>
  release(locker: string, slot: number, who: string): Promise<Result<object>>
}

export type Result<T> = ({ ok: true } & T) | { ok: false; status: number; reason: string; message: string; retryAt?: number }

export interface LockerRouteOptions {
  /** Staff login check for the staff / courier routes (the customer's pickup stays open). */
  staffGuard?: preHandlerHookHandler
  /** Who is acting, from the request (e.g. the staff session); default 'api'. */
  actorOf?: (req: unknown) => string
}

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1–64 letters, digits, "_", "." or "-"')
const time = z.union([z.number().int().positive(), z.iso.datetime({ offset: true }).transform((s) => Date.parse(s))])
const orderBody = z.strictObject({ orderId: id, tempClass: z.enum(['ambient', 'chilled', 'frozen']).default('ambient'), deadline: time.optional(), slot: z.number().int().min(1).optional() })
const codeBody = z.strictObject({ code: z.string().min(1).max(16) })
const openBody = z.strictObject({ who: z.string().min(1).max(100), why: z.string().min(1).max(500) })
const releaseBody = z.strictObject({ who: z.string().min(1).max(100) })
const slotParam = z.coerce.number().int().min(1).max(255)

export function registerLockerRoutes(app: FastifyInstance, ops: LockerOps, opts: LockerRouteOptions = {}): void {
  const staff = opts.staffGuard ? { preHandler: opts.staffGuard } : {}
  const actorOf = opts.actorOf ?? (() => 'api')

  const send = <T>(reply: { code(n: number): { send(b: unknown): unknown } }, r: Result<T>, okStatus = 200) => {
    if (r.ok) return reply.code(okStatus).send(r)
    return reply.code(r.status).send({ error: r.reason, message: r.message, ...(r.retryAt !== undefined ? { retryAt: new Date(r.retryAt).toISOString() } : {}) })
  }
  const parse = <S extends z.ZodType>(schema: S, body: unknown): { ok: true; value: z.infer<S> } | { ok: false; status: 400; reason: string; message: string } => {
    const r = schema.safeParse(body ?? {})
    if (r.success) return { ok: true, value: r.data }
    return { ok: false, status: 400, reason: 'invalid', message: r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') }
  }

  // GET /api/lockers is served by the staff API from shared.lockers (gateway/http/api/views.ts).

  app.post<{ Params: { locker: string } }>('/api/lockers/:locker/orders', staff, async (req, reply) => {
    const b = parse(orderBody, req.body)
    if (!b.ok) return send(reply, b)
    const { deadline, slot, ...rest } = b.value
    return send(reply, await ops.createOrder({ ...rest, locker: req.params.locker, actor: actorOf(req), ...(deadline !== undefined ? { deadline } : {}), ...(slot !== undefined ? { slot } : {}) }), 201)
  })

  app.post<{ Params: { locker: string; orderId: string } }>('/api/lockers/:locker/orders/:orderId/deposit', staff, async (req, reply) =>
    send(reply, await ops.deposit(req.params.locker, req.params.orderId, actorOf(req))),
  )

  app.post<{ Params: { locker: string } }>('/api/lockers/:locker/pickup', async (req, reply) => {
    const b = parse(codeBody, req.body)
    if (!b.ok) return send(reply, b)
    return send(reply, await ops.pickup(req.params.locker, b.value.code))
  })

  app.post<{ Params: { locker: string; slot: string } }>('/api/lockers/:locker/compartments/:slot/open', staff, async (req, reply) => {
    const slot = slotParam.safeParse(req.params.slot)
    const b = parse(openBody, req.body)
    if (!slot.success) return send(reply, { ok: false, status: 400, reason: 'invalid', message: 'slot must be a compartment number' })
    if (!b.ok) return send(reply, b)
    return send(reply, await ops.staffOpen({ locker: req.params.locker, slot: slot.data, ...b.value }))
  })

  app.post<{ Params: { locker: string; slot: string } }>('/api/lockers/:locker/compartments/:slot/release', staff, async (req, reply) => {
    const slot = slotParam.safeParse(req.params.slot)
    const b = parse(releaseBody, req.body)
    if (!slot.success) return send(reply, { ok: false, status: 400, reason: 'invalid', message: 'slot must be a compartment number' })
    if (!b.ok) return send(reply, b)
    return send(reply, await ops.release(req.params.locker, slot.data, b.value.who))
  })
}
