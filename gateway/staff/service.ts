/**
 * The staff page service ('staff'): the REST API (/api/…), the live socket (/api/live) and the page
 * itself (/). Reads the other capabilities through ctx.shared at request time, so it works (with 503s)
 * whatever else runs, and may start before or after them.
 */
import { parseAlertsConfig } from '../config/alertsConfig.ts'
import type { GatewayService, RunningService, ServiceContext } from '../core/service.ts'
import { registerApi } from '../http/api/index.ts'
import type { StaffAccount } from '../http/api/sessions.ts'
import { registerStaffPage } from './static.ts'
import { statSync } from 'node:fs'
import { credentialsPath, readCredentials, type CredentialRecord } from '../security/credentials.ts'

/** The device credentials file, re-read when it changes (`shelfgate device add/revoke`). */
function credentialsReader(dataDir: string): () => Record<string, CredentialRecord> {
  let mtime = -1
  let records: Record<string, CredentialRecord> = {}
  return () => {
    const m = statSync(credentialsPath(dataDir), { throwIfNoEntry: false })?.mtimeMs ?? 0
    if (m !== mtime) {
      records = readCredentials(dataDir).devices
      mtime = m
    }
    return records
  }
}

export function staffAccounts(ctx: Pick<ServiceContext, 'config'>): StaffAccount[] {
  return parseAlertsConfig(ctx.config).staff.flatMap((m) =>
    m.username && m.passwordHash ? [{ username: m.username, name: m.name, role: m.role, passwordHash: m.passwordHash }] : [],
  )
}

export const staffService: GatewayService = {
  name: 'staff',
  start(ctx: ServiceContext): RunningService {
    const cfg = parseAlertsConfig(ctx.config)
    const accounts = staffAccounts(ctx)
    if (accounts.length === 0) ctx.log.warn('no staff accounts configured (staff[].username + passwordHash): nobody can log in to the staff page')
    const api = registerApi({
      app: ctx.http,
      shared: ctx.shared,
      stats: ctx.stats,
      accounts,
      sessionTtlMs: cfg.alerts.sessionHours * 3_600_000,
      now: () => ctx.clock.now(),
      log: ctx.log,
      credentials: credentialsReader(ctx.config.dataDir),
    })
    // Other services (e.g. the lockers' staff routes) check logins through this at request time.
    ctx.shared.staffAuth = { guard: (req, reply, need) => api.guard(req as never, reply as never, need) }
    registerStaffPage(ctx.http)
    ctx.log.info({ accounts: accounts.length }, 'staff page and API mounted')
    return {
      stop: () => {
        delete ctx.shared.staffAuth
        return api.close()
      },
    }
  },
}
