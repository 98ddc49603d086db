import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { collect, eventually } from '../support/gatewayHarness.ts'
import { fridgeAlarm, startStaffHarness, type StaffHarness } from '../staff/staffHarness.ts'

let s: StaffHarness
beforeAll(async () => {
  s = await startStaffHarness()
})
afterAll(async () => {
  await s?.stop()
})

describe('alerts service in the running gateway', () => {
  it('publishes a retained alerts/{id} while open, keeps it through acknowledge, and clears it when the fridge recovers', async () => {
    const ops = await s.h.connect('ops')
    const got = collect(ops)
    await ops.subscribeAsync('shelfgate/s1/alerts/#', { qos: 1 })
    s.h.gw.bus.emit('condition', fridgeAlarm(true, 8.4, Date.now(), 'R1'))
    await eventually(() => got.some((m) => m.payload.includes('"subject":"cold/R1"')), 5000, 'the retained alert')
    const opened = got.find((m) => m.payload.includes('"subject":"cold/R1"'))!
    const id = (JSON.parse(opened.payload) as { id: string }).id
    expect(opened.topic).toBe(`shelfgate/s1/alerts/${id}`)

    // A subscriber arriving later gets it as a retained message.
    const late = await s.h.connect('ops', { clientId: 'ops-late' })
    const lateGot = collect(late)
    await late.subscribeAsync(`shelfgate/s1/alerts/${id}`, { qos: 1 })
    await eventually(() => lateGot.some((m) => m.retain && m.payload !== ''), 5000, 'the retained copy')

    const li = await s.login('li')
    expect((await li.post(`/api/alerts/${id}/ack`, { note: 'checking the door' })).status).toBe(200)
    await eventually(() => got.some((m) => m.topic.endsWith(id) && m.payload.includes('"status":"acknowledged"')), 5000, 'the acknowledged state')

    s.h.gw.bus.emit('condition', fridgeAlarm(false, 4.1, Date.now(), 'R1'))
    await eventually(() => got.some((m) => m.topic.endsWith(id) && m.payload === ''), 5000, 'the cleared topic')
    const { alert } = (await (await li.get(`/api/alerts/${id}`)).json()) as { alert: { status: string; resolvedBy: string } }
    expect(alert).toMatchObject({ status: 'resolved', resolvedBy: 'system' })

    const again = await s.h.connect('ops', { clientId: 'ops-again' })
    const againGot = collect(again)
    await again.subscribeAsync(`shelfgate/s1/alerts/${id}`, { qos: 1 })
    await new Promise((r) => setTimeout(r, 200))
    expect(againGot).toEqual([]) // nothing retained any more
  })

  it('sends a new alert to the WeCom robot as a markdown message with the staff page link', async () => {
    const before = s.wecom.requests.length
    s.h.gw.bus.emit('condition', fridgeAlarm(true, 9.5, Date.now(), 'W1'))
    await s.wecom.waitFor(before + 1)
    const req = s.wecom.requests[before]!
    expect(req.method).toBe('POST')
    expect(req.path).toBe('/cgi-bin/webhook/send')
    expect(req.query).toEqual({ key: 'test-robot-key' })
    expect(req.headers['content-type']).toBe('application/json')
    const body = JSON.parse(req.body) as { msgtype: string; markdown: { content: string } }
    expect(body.msgtype).toBe('markdown')
    expect(body.markdown.content).toContain('Dairy fridge has stayed too warm: 9.5°C (limit 5°C)')
    expect(body.markdown.content).toMatch(/\(http:\/\/shelfgate\.local:8080\/alerts\/[\w-]+\)/)
  })

  it('keeps the robot key out of the logs', async () => {
    expect(s.h.logs.join('')).not.toContain('test-robot-key')
  })
})

describe('live alert socket', () => {
  const wsUrl = () => `ws://127.0.0.1:${s.h.gw.ports.http}/api/live`

  it('refuses a socket without a session', async () => {
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(wsUrl())
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
      ws.on('open', () => resolve(101))
    })
    expect(status).toBe(401)
  })

  it('refuses a socket opened from another site even with the cookie', async () => {
    const li = await s.login('li')
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(wsUrl(), { headers: { cookie: li.cookie, origin: 'http://evil.example' } })
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
      ws.on('open', () => resolve(101))
    })
    expect(status).toBe(403)
  })

  it('pushes the open alerts, then each change', async () => {
    const li = await s.login('li')
    const ws = new WebSocket(wsUrl(), { headers: { cookie: li.cookie } })
    const msgs: { type: string; alert?: { subject: string; status: string } }[] = []
    ws.on('message', (d) => msgs.push(JSON.parse(String(d))))
    await eventually(() => msgs.some((m) => m.type === 'alerts'), 5000, 'the initial list')
    s.h.gw.bus.emit('condition', fridgeAlarm(true, 7.7, Date.now(), 'L1'))
    await eventually(() => msgs.some((m) => m.type === 'alert' && m.alert?.subject === 'cold/L1' && m.alert.status === 'open'), 5000, 'the live change')
    ws.close()
  })
})
