/** Mounts the REST API and the live socket on the gateway's fastify instance. */
import type { Guard } from './auth.ts'
import type { FastifyInstance } from 'fastify'
import type { DeviceStats } from '../../broker/deviceStats.ts'
import type { SharedApis } from '../../core/apis.ts'
import type { CredentialRecord } from '../../security/credentials.ts'
import type { Logger } from '../../core/log.ts'
import { registerAlertRoutes } from './alerts.ts'
import { registerAuth } from './auth.ts'
import { startLive } from './live.ts'
import { Sessions, type StaffAccount } from './sessions.ts'
import { registerViews } from './views.ts'

export interface ApiDeps {
  app: FastifyInstance
  shared: SharedApis
  stats: DeviceStats
  accounts: StaffAccount[]
  sessionTtlMs: number
  now: () => number
  log: Logger
  /** Device credentials; service principals may use Basic auth (see auth.ts). */
  credentials?: () => Record<string, CredentialRecord>
}

export function registerApi(deps: ApiDeps): { guard: Guard; close(): Promise<void> } {
  const sessions = new Sessions(deps.sessionTtlMs, deps.now)
  const byUser = new Map(deps.accounts.map((a) => [a.username, a]))
  const guard = registerAuth(deps.app, { sessions, accounts: () => byUser, now: deps.now, ...(deps.credentials ? { credentials: deps.credentials } : {}) })
  registerAlertRoutes(deps.app, deps.shared, guard)
  registerViews(deps.app, { shared: deps.shared, stats: deps.stats, now: deps.now, guard })
  // Unknown /api paths answer JSON, not the staff page.
  deps.app.all('/api/*', async (_req, reply) => reply.code(404).send({ error: 'not_found', message: 'no such API endpoint' }))
  const live = startLive({ server: deps.app.server, sessions, shared: deps.shared, now: deps.now, log: deps.log })
  return { guard, close: () => live.close() }
}
