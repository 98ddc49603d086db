/**
 * Staff login, logout and the guard every /api route uses: 401 without a valid session, 403 when the
 * role may not do this, 403 when a state-changing request lacks the session's CSRF token.
 *
 * Integrations (Node-RED, scripts) may instead send `Authorization: Basic base64(id:password)` for a
 * *service* principal of the device credentials file: the guard then answers with the actor
 * `service:<id>`, which may act. No cookie is involved, so no CSRF token either.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { CredentialVerifier, verifyPassword, type CredentialRecord } from '../../security/credentials.ts'
import { clearedCookie, csrfMatches, parseCookies, SESSION_COOKIE, sessionCookie, type Session, type Sessions, type StaffAccount } from './sessions.ts'

/** Roles that may look but not act (acknowledge / resolve). Every other configured role may act. */
export const readOnlyRoles: ReadonlySet<string> = new Set(['viewer'])

// Compared against when the username is unknown, so the answer takes as long either way.
const decoyHash = 'scrypt$16384$8$1$c2hlbGZnYXRlLWRlY295$ZGVjb3lkZWNveWRlY295ZGVjb3lkZWNveWRlY295MTI='

export interface AuthDeps {
  sessions: Sessions
  accounts: () => Map<string, StaffAccount>
  now: () => number
  /** Failed logins per remote address per 5 minutes before answering 429. */
  maxFailures?: number
  /**
   * The device credentials (`readCredentials(dataDir).devices`, re-read by the caller when the file
   * changes). Only `kind: 'service'` principals may use Basic auth; without this, Basic auth is off.
   */
  credentials?: () => Record<string, CredentialRecord>
}

/** What the onRequest hook found in an `Authorization: Basic` header (the guard itself is synchronous). */
type BasicResult = { ok: true; id: string } | { ok: false; status: 401 | 429 }

export function parseBasic(header: string | undefined): { id: string; password: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '')
  if (!m) return undefined
  const decoded = Buffer.from(m[1] as string, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  return colon > 0 ? { id: decoded.slice(0, colon), password: decoded.slice(colon + 1) } : undefined
}

export type Guard = (req: FastifyRequest, reply: FastifyReply, need?: { act?: boolean }) => Session | undefined

export function sessionOf(sessions: Sessions, cookieHeader: string | undefined): Session | undefined {
  return sessions.get(parseCookies(cookieHeader)[SESSION_COOKIE])
}

export function registerAuth(app: FastifyInstance, deps: AuthDeps): Guard {
  const failures = new Map<string, { n: number; since: number }>()
  const windowMs = 5 * 60_000
  const maxFailures = deps.maxFailures ?? 10
  const limited = (ip: string) => {
    const f = failures.get(ip)
    return f !== undefined && deps.now() - f.since < windowMs && f.n >= maxFailures
  }
  const fail = (ip: string) => {
    const f = failures.get(ip)
    const cur = f && deps.now() - f.since < windowMs ? f : { n: 0, since: deps.now() }
    cur.n++
    failures.set(ip, cur)
  }

  // scrypt is slow: CredentialVerifier remembers successful checks. It is rebuilt when the caller
  // hands over a different records object (the credentials file was re-read).
  let records: Record<string, CredentialRecord> | undefined
  let verifier: CredentialVerifier | undefined
  const basic = new WeakMap<FastifyRequest, BasicResult>()
  const credentials = deps.credentials
  if (credentials) {
    app.addHook('onRequest', async (req) => {
      if (!req.url.startsWith('/api/') || req.headers.authorization === undefined) return
      if (sessionOf(deps.sessions, req.headers.cookie)) return // the cookie session wins
      const creds = parseBasic(req.headers.authorization)
      if (!creds) return
      if (limited(req.ip)) return void basic.set(req, { ok: false, status: 429 })
      const now = credentials()
      if (!verifier) verifier = new CredentialVerifier(now)
      else if (now !== records) verifier.replace(now)
      records = now
      const ok = verifier.kindOf(creds.id) === 'service' && (await verifier.verify(creds.id, creds.password).catch(() => false))
      if (ok) {
        failures.delete(req.ip)
        basic.set(req, { ok: true, id: creds.id })
      } else {
        if (verifier.kindOf(creds.id) !== 'service') await verifyPassword(creds.password, decoyHash).catch(() => false) // same timing
        fail(req.ip)
        basic.set(req, { ok: false, status: 401 })
      }
    })
  }

  app.post('/api/login', async (req, reply) => {
    const ip = req.ip
    if (limited(ip)) {
      return reply.code(429).send({ error: 'too_many_attempts', message: 'Too many failed logins; wait a few minutes.' })
    }
    const body = (req.body ?? {}) as { username?: unknown; password?: unknown }
    if (typeof body.username !== 'string' || typeof body.password !== 'string') {
      return reply.code(400).send({ error: 'bad_request', message: 'username and password are required' })
    }
    const account = deps.accounts().get(body.username)
    const ok = await verifyPassword(body.password, account?.passwordHash ?? decoyHash).catch(() => false)
    if (!account || !ok) {
      fail(ip)
      return reply.code(401).send({ error: 'unauthenticated', message: 'wrong username or password' })
    }
    failures.delete(ip)
    const { token, session } = deps.sessions.create(account)
    reply.header('set-cookie', sessionCookie(token, Math.floor(deps.sessions.ttlMs / 1000), req.protocol === 'https'))
    return { user: publicUser(session), csrfToken: session.csrf, expiresAt: session.expiresAt }
  })

  const guard: Guard = (req, reply, need = {}) => {
    const session = sessionOf(deps.sessions, req.headers.cookie)
    if (!session) {
      const b = basic.get(req)
      if (b?.ok) return { username: `service:${b.id}`, name: b.id, role: 'service', csrf: '', expiresAt: Number.POSITIVE_INFINITY }
      if (b?.status === 429) {
        void reply.code(429).send({ error: 'too_many_attempts', message: 'Too many failed logins; wait a few minutes.' })
        return undefined
      }
      void reply.code(401).send({ error: 'unauthenticated', message: b ? 'wrong service account or password' : 'log in first' })
      return undefined
    }
    const unsafe = req.method !== 'GET' && req.method !== 'HEAD'
    if (unsafe && !csrfMatches(session, req.headers['x-csrf-token'])) {
      void reply.code(403).send({ error: 'csrf', message: 'missing or wrong X-CSRF-Token header' })
      return undefined
    }
    if (need.act && readOnlyRoles.has(session.role)) {
      void reply.code(403).send({ error: 'forbidden', message: `role "${session.role}" may not do this` })
      return undefined
    }
    return session
  }

  app.get('/api/session', async (req, reply) => {
    const s = guard(req, reply)
    if (!s) return reply
    return { user: publicUser(s), csrfToken: s.csrf, expiresAt: s.expiresAt }
  })

  app.post('/api/logout', async (req, reply) => {
    const s = guard(req, reply)
    if (!s) return reply
    deps.sessions.destroy(parseCookies(req.headers.cookie)[SESSION_COOKIE])
    return reply.header('set-cookie', clearedCookie()).code(204).send()
  })

  return guard
}

function publicUser(s: Session): { username: string; name: string; role: string; canAct: boolean } {
  return { username: s.username, name: s.name, role: s.role, canAct: !readOnlyRoles.has(s.role) }
}
