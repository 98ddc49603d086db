import { createHmac } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DingtalkChannel } from '../../gateway/alerts/channels/dingtalk.ts'
import { FeishuChannel } from '../../gateway/alerts/channels/feishu.ts'
import { WecomChannel } from '../../gateway/alerts/channels/wecom.ts'
import { utf8Length } from '../../gateway/alerts/channels/utf8.ts'
import { startHttpReceiver, type HttpReceiver } from '../support/httpReceiver.ts'
import { message } from './message.ts'

let rx: HttpReceiver
beforeEach(async () => (rx = await startHttpReceiver()))
afterEach(async () => rx.close())
const ctx = { idempotencyKey: 'k1', now: 1_767_225_600_123 }

describe('WeCom group robot', () => {
  it('posts Markdown to /cgi-bin/webhook/send with the robot key', async () => {
    const ch = new WecomChannel({ name: 'store', key: 'KEY-1', baseUrl: rx.url })
    expect(await ch.send(message(), ctx)).toEqual({ status: 'sent' })
    const req = rx.requests[0]!
    expect([req.method, req.path, req.query]).toEqual(['POST', '/cgi-bin/webhook/send', { key: 'KEY-1' }])
    expect(JSON.parse(req.body)).toEqual({ msgtype: 'markdown', markdown: { content: message().markdown } })
  })

  it('switches to text to @-mention the manager by mobile on escalation', async () => {
    const ch = new WecomChannel({ name: 'store', key: 'K', baseUrl: rx.url })
    await ch.send(message({ kind: 'escalated', mentionMobiles: ['13800000000'] }), ctx)
    expect(JSON.parse(rx.requests[0]!.body)).toEqual({ msgtype: 'text', text: { content: message().text, mentioned_mobile_list: ['13800000000'] } })
  })

  it('cuts an over-long Chinese text to 2048 bytes without breaking a character', async () => {
    const ch = new WecomChannel({ name: 'store', key: 'K', baseUrl: rx.url, format: 'text' })
    await ch.send(message({ text: '温'.repeat(1000) }), ctx)
    const content: string = JSON.parse(rx.requests[0]!.body).text.content
    expect(utf8Length(content)).toBeLessThanOrEqual(2048)
    expect(content).toBe('温'.repeat(681) + '…')
  })

  it('reads errcode in a 200 answer: 45009 is a rate limit, 93000 a bad key', async () => {
    const ch = new WecomChannel({ name: 'store', key: 'K', baseUrl: rx.url })
    rx.answerJson({ errcode: 45009, errmsg: 'api freq out of limit' })
    rx.answerJson({ errcode: 93000, errmsg: 'invalid webhook url' })
    expect(await ch.send(message(), ctx)).toMatchObject({ status: 'rate-limited', retryAfterMs: 60_000 })
    expect(await ch.send(message(), ctx)).toMatchObject({ status: 'permanent' })
  })
})

describe('DingTalk robot', () => {
  it('signs the call with timestamp and base64 HMAC-SHA256 of "timestamp\\nsecret"', async () => {
    const ch = new DingtalkChannel({ name: 'dd', accessToken: 'TOK', secret: 'SEC123', baseUrl: rx.url })
    await ch.send(message(), ctx)
    const req = rx.requests[0]!
    expect(req.path).toBe('/robot/send')
    expect(req.query.access_token).toBe('TOK')
    expect(req.query.timestamp).toBe(String(ctx.now))
    const expected = createHmac('sha256', 'SEC123').update(`${ctx.now}\nSEC123`).digest('base64')
    expect(req.query.sign).toBe(expected)
    expect(JSON.parse(req.body)).toEqual({ msgtype: 'markdown', markdown: { title: message().title, text: message().markdown }, at: { atMobiles: [], isAtAll: false } })
  })

  it('puts @mobile in the text as well, which DingTalk needs to ping someone', async () => {
    const ch = new DingtalkChannel({ name: 'dd', accessToken: 'TOK', baseUrl: rx.url, format: 'text' })
    await ch.send(message({ mentionMobiles: ['13800000000'] }), ctx)
    const body = JSON.parse(rx.requests[0]!.body)
    expect(rx.requests[0]!.query.sign).toBeUndefined()
    expect(body.text.content.endsWith('\n@13800000000')).toBe(true)
    expect(body.at).toEqual({ atMobiles: ['13800000000'], isAtAll: false })
  })

  it('backs off a full 10 minutes on errcode 130101 (sending too fast)', async () => {
    const ch = new DingtalkChannel({ name: 'dd', accessToken: 'TOK', baseUrl: rx.url })
    rx.answerJson({ errcode: 130101, errmsg: 'send too fast' })
    expect(await ch.send(message(), ctx)).toMatchObject({ status: 'rate-limited', retryAfterMs: 600_000 })
  })
})

describe('Feishu bot', () => {
  it('sends a signed text message: sign = base64(HMAC-SHA256 keyed by "timestamp\\nsecret" over nothing)', async () => {
    const ch = new FeishuChannel({ name: 'fs', hookId: 'hook-1', secret: 'fsSecret', baseUrl: rx.url })
    rx.answerJson({ code: 0, msg: 'success', data: {} })
    expect(await ch.send(message(), ctx)).toEqual({ status: 'sent' })
    const req = rx.requests[0]!
    expect(req.path).toBe('/open-apis/bot/v2/hook/hook-1')
    const body = JSON.parse(req.body)
    const ts = Math.floor(ctx.now / 1000)
    expect(body).toEqual({
      timestamp: String(ts),
      sign: createHmac('sha256', `${ts}\nfsSecret`).update('').digest('base64'),
      msg_type: 'text',
      content: { text: message().text },
    })
  })

  it('treats code 19021 (timestamp or signature refused) as retryable and says to check the clock', async () => {
    const ch = new FeishuChannel({ name: 'fs', hookId: 'h', secret: 's', baseUrl: rx.url })
    rx.answerJson({ code: 19021, msg: 'sign match fail or timestamp is not within one hour from current time' }, 1, 400)
    const out = await ch.send(message(), ctx)
    expect(out.status).toBe('retryable')
    expect(out.status === 'retryable' && out.reason).toContain('clock')
  })
})
