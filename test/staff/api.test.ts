import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually } from '../support/gatewayHarness.ts'
import { fridgeAlarm, startStaffHarness, type StaffHarness } from './staffHarness.ts'

let s: StaffHarness
beforeAll(async () => {
  s = await startStaffHarness()
})
afterAll(async () => {
  await s?.stop()
})

let units = 0

/** Opens a fresh alert on its own (test-only) unit, so tests do not share one. */
async function openAlert(value = 8.2): Promise<string> {
  const unit = `T${++units}`
  s.h.gw.bus.emit('condition', fridgeAlarm(true, value, Date.now(), unit))
  const li = await s.login('li')
  let id = ''
  await eventually(async () => {
    const { alerts } = (await (await li.get('/api/alerts')).json()) as { alerts: { id: string; subject: string }[] }
    id = alerts.find((a) => a.subject === `cold/${unit}`)?.id ?? ''
    return id !== ''
  }, 5000, 'the alert to open')
  return id
}

describe('staff REST API', () => {
  it('refuses every API read without a session (401)', async () => {
    for (const path of ['/api/alerts', '/api/shelves', '/api/cold', '/api/lockers', '/api/devices', '/api/session']) {
      expect((await fetch(s.base + path)).status, path).toBe(401)
    }
  })

  it('refuses a wrong password and sets no cookie', async () => {
    const res = await fetch(`${s.base}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'li', password: 'nope' }) })
    expect(res.status).toBe(401)
    expect(res.headers.get('set-cookie')).toBeNull()
  })

  it('logs in with an HttpOnly, SameSite=Strict session cookie that expires', async () => {
    const res = await fetch(`${s.base}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'li', password: 'correct horse battery' }) })
    expect(res.status).toBe(200)
    const cookie = res.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/^sg_session=[\w-]{40,};/)
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('SameSite=Strict')
    expect(cookie).toContain('Max-Age=43200')
    expect(((await res.json()) as { user: { role: string } }).user.role).toBe('staff')
  })

  it('refuses a state-changing request without the CSRF token (403), and changes nothing', async () => {
    const id = await openAlert()
    const li = await s.login('li')
    const res = await li.post(`/api/alerts/${id}/ack`, { note: 'x' }, { csrf: null })
    expect(res.status).toBe(403)
    expect(((await res.json()) as { error: string }).error).toBe('csrf')
    const wrong = await li.post(`/api/alerts/${id}/ack`, { note: 'x' }, { csrf: 'forged' })
    expect(wrong.status).toBe(403)
    const { alert } = (await (await li.get(`/api/alerts/${id}`)).json()) as { alert: { status: string } }
    expect(alert.status).toBe('open')
  })

  it('refuses acknowledge for a read-only role (403)', async () => {
    const id = await openAlert()
    const viewer = await s.login('audit')
    expect((await viewer.get('/api/alerts')).status).toBe(200)
    expect((await viewer.post(`/api/alerts/${id}/ack`, { note: 'seen' })).status).toBe(403)
  })

  it('acknowledges with a note and resolves with a corrective action, both in the audit trail', async () => {
    const id = await openAlert(9.1)
    const li = await s.login('li')
    const acked = await li.post(`/api/alerts/${id}/ack`, { note: '正在处理' })
    expect(acked.status).toBe(200)
    expect(((await acked.json()) as { alert: { status: string; acknowledgedBy: string } }).alert).toMatchObject({ status: 'acknowledged', acknowledgedBy: '李店员' })
    expect((await li.post(`/api/alerts/${id}/resolve`, {})).status).toBe(400) // a corrective action is required
    const resolved = await li.post(`/api/alerts/${id}/resolve`, { correctiveAction: '移走食品，维修压缩机' })
    expect(((await resolved.json()) as { alert: { status: string } }).alert.status).toBe('resolved')
    const { audit } = (await (await li.get(`/api/alerts/${id}`)).json()) as { audit: { who: string; what: string; detail?: string }[] }
    expect(audit.map((e) => [e.who, e.what, e.detail ?? ''])).toEqual([
      ['system', 'opened', 'critical value=9.1'],
      ['李店员', 'acknowledged', '正在处理'],
      ['李店员', 'resolved', '移走食品，维修压缩机'],
    ])
    expect((await li.post(`/api/alerts/${id}/resolve`, { correctiveAction: 'again' })).status).toBe(409)
  })

  it('answers 503 naming the missing capability when the cold-chain service is not running', async () => {
    const li = await s.login('li')
    const res = await li.get('/api/cold')
    expect(res.status).toBe(503)
    expect(((await res.json()) as { message: string }).message).toContain('cold-chain')
  })

  it('lists devices with online state and refused payload counts', async () => {
    const dev = await s.h.connect('cold-f1')
    await dev.publishAsync('shelfgate/s1/cold/F1/temp', '{"c":"warm"}', { qos: 1 })
    const li = await s.login('li')
    await eventually(async () => {
      const { devices } = (await (await li.get('/api/devices')).json()) as { devices: { device: string; online: boolean; refused: number }[] }
      const d = devices.find((x) => x.device === 'cold-f1')
      return d?.online === true && d.refused === 1
    }, 5000, 'cold-f1 online with one refusal')
  })

  it('logs out: the session cookie no longer works', async () => {
    const li = await s.login('li')
    expect((await li.post('/api/logout')).status).toBe(204)
    expect((await li.get('/api/alerts')).status).toBe(401)
  })
})
