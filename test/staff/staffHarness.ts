/**
 * A real gateway with the alerts and staff services, a local HTTP receiver standing in for a WeCom
 * robot, and three staff accounts (manager, staff, viewer). Helpers log in over real HTTP.
 */
import { createAlertsService } from '../../gateway/alerts/service.ts'
import type { GatewayService } from '../../gateway/core/service.ts'
import { hashPassword } from '../../gateway/security/credentials.ts'
import { staffService } from '../../gateway/staff/service.ts'
import type { ConditionChange } from '../../gateway/contract/conditions.ts'
import { startHarness, type Harness, type HarnessOptions } from '../support/gatewayHarness.ts'
import { startHttpReceiver, type HttpReceiver } from '../support/httpReceiver.ts'

export const PASSWORD = 'correct horse battery'

export interface StaffHarness {
  h: Harness
  wecom: HttpReceiver
  base: string
  login(username: string, password?: string): Promise<Client>
  stop(): Promise<void>
}

export interface Client {
  cookie: string
  csrf: string
  get(path: string): Promise<Response>
  post(path: string, body?: unknown, opts?: { csrf?: string | null }): Promise<Response>
}

export async function startStaffHarness(opts: { services?: GatewayService[]; extraYaml?: string; harness?: HarnessOptions } = {}): Promise<StaffHarness> {
  const wecom = await startHttpReceiver()
  const hash = await hashPassword(PASSWORD, 1024)
  const extraYaml = `
staff:
  - { name: 王店长, role: manager, phone: "+8613800000000", username: wang, passwordHash: "${hash}" }
  - { name: 李店员, role: staff, areas: [fresh, shelves], username: li, passwordHash: "${hash}" }
  - { name: 审计员, role: viewer, username: audit, passwordHash: "${hash}" }
alerts:
  escalation: { criticalUnackedMin: 10, to: manager }
  staffPageUrl: http://shelfgate.local:8080
  channels:
    - { type: wecom, name: 门店群, key: test-robot-key, baseUrl: "${wecom.url}" }
${opts.extraYaml ?? ''}`
  const h = await startHarness({ ...opts.harness, gateway: { services: opts.services ?? [createAlertsService({ dispatchMs: 50 }), staffService] }, extraYaml })
  const base = `http://127.0.0.1:${h.gw.ports.http}`

  const client = (cookie: string, csrf: string): Client => ({
    cookie,
    csrf,
    get: (path) => fetch(base + path, { headers: { cookie } }),
    post: (path, body, o = {}) => {
      const headers: Record<string, string> = { cookie }
      const token = o.csrf === undefined ? csrf : o.csrf
      if (token !== null) headers['x-csrf-token'] = token
      if (body !== undefined) headers['content-type'] = 'application/json'
      return fetch(base + path, { method: 'POST', headers, body: body === undefined ? undefined : JSON.stringify(body) })
    },
  })

  return {
    h,
    wecom,
    base,
    async login(username, password = PASSWORD) {
      const res = await fetch(`${base}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })
      if (res.status !== 200) throw new Error(`login as ${username} failed: ${res.status}`)
      const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] as string
      const { csrfToken } = (await res.json()) as { csrfToken: string }
      return client(cookie, csrfToken)
    },
    async stop() {
      await h.stop()
      await wecom.close()
    },
  }
}

export function fridgeAlarm(active: boolean, value: number, at = Date.now(), unit = 'F1'): ConditionChange {
  return {
    rule: 'cold.excursion.alarm',
    subject: `cold/${unit}`,
    active,
    severity: 'critical',
    area: 'fresh',
    at,
    message: { key: 'cold.excursion.alarm', params: { unit, name: 'Dairy fridge', limitC: 5, c: value } },
    value,
  }
}
