import { createHmac } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { NtfyChannel } from '../../gateway/alerts/channels/ntfy.ts'
import { TelegramChannel } from '../../gateway/alerts/channels/telegram.ts'
import { WebhookChannel } from '../../gateway/alerts/channels/webhook.ts'
import { startHttpReceiver, type HttpReceiver } from '../support/httpReceiver.ts'
import { message } from './message.ts'

let rx: HttpReceiver
beforeEach(async () => (rx = await startHttpReceiver({ status: 200, body: '{"ok":true,"result":{}}' })))
afterEach(async () => rx.close())
const ctx = { idempotencyKey: 'idem-42', now: 1_767_225_600_123 }

describe('ntfy', () => {
  it('posts the text to the topic with Title, Priority, Tags, Click and the bearer token', async () => {
    const ch = new NtfyChannel({ name: 'n', url: `${rx.url}/store-0412`, token: 'tk_abc' })
    expect(await ch.send(message(), ctx)).toEqual({ status: 'sent' })
    const req = rx.requests[0]!
    expect([req.method, req.path, req.body]).toEqual(['POST', '/store-0412', message().text])
    expect(req.headers.priority).toBe('max')
    expect(req.headers.tags).toBe('rotating_light')
    expect(req.headers.click).toBe('http://gw.local/alerts/a1')
    expect(req.headers.authorization).toBe('Bearer tk_abc')
    // Chinese titles travel RFC 2047-encoded; ntfy decodes them.
    const encoded = /^=\?UTF-8\?B\?(.+)\?=$/.exec(String(req.headers.title))
    expect(Buffer.from(encoded![1]!, 'base64').toString('utf8')).toBe(message().title)
  })

  it('reports a 429 from ntfy as a rate limit using Retry-After', async () => {
    const ch = new NtfyChannel({ name: 'n', url: `${rx.url}/t` })
    rx.tooManyRequests(1, 7, '{"code":42901,"http":429,"error":"limit reached: too many requests"}')
    expect(await ch.send(message(), ctx)).toMatchObject({ status: 'rate-limited', retryAfterMs: 7_000 })
  })
})

describe('Telegram bot', () => {
  it('calls /bot<token>/sendMessage with chat_id and plain text', async () => {
    const ch = new TelegramChannel({ name: 'tg', botToken: '123:ABC', chatId: -1001, baseUrl: rx.url })
    expect(await ch.send(message(), ctx)).toEqual({ status: 'sent' })
    expect(rx.requests[0]!.path).toBe('/bot123:ABC/sendMessage')
    expect(JSON.parse(rx.requests[0]!.body)).toEqual({ chat_id: -1001, text: message().text })
  })

  it('escapes HTML when parse_mode is HTML', async () => {
    const ch = new TelegramChannel({ name: 'tg', botToken: 't', chatId: 5, parseMode: 'HTML', baseUrl: rx.url })
    await ch.send(message({ text: 'a<b> & c\nline 2 <x>' }), ctx)
    expect(JSON.parse(rx.requests[0]!.body)).toEqual({ chat_id: 5, text: '<b>a&lt;b&gt; &amp; c</b>\nline 2 &lt;x&gt;', parse_mode: 'HTML' })
  })

  it('honours retry_after from a 429 answer', async () => {
    const ch = new TelegramChannel({ name: 'tg', botToken: 't', chatId: 5, baseUrl: rx.url })
    rx.answerJson({ ok: false, error_code: 429, description: 'Too Many Requests: retry after 35', parameters: { retry_after: 35 } }, 1, 429)
    expect(await ch.send(message(), ctx)).toMatchObject({ status: 'rate-limited', retryAfterMs: 35_000 })
  })

  it('gives up on a chat that does not exist instead of retrying forever', async () => {
    const ch = new TelegramChannel({ name: 'tg', botToken: 't', chatId: 5, baseUrl: rx.url })
    rx.answerJson({ ok: false, error_code: 400, description: 'Bad Request: chat not found' }, 1, 400)
    expect(await ch.send(message(), ctx)).toMatchObject({ status: 'permanent' })
  })
})

describe('generic webhook', () => {
  it('signs the raw body with HMAC-SHA256 and sends timestamp and idempotency key headers', async () => {
    const ch = new WebhookChannel({ name: 'wh', url: `${rx.url}/hooks/shelfgate`, secret: 'whsec' })
    expect(await ch.send(message(), ctx)).toEqual({ status: 'sent' })
    const req = rx.requests[0]!
    expect(req.headers['x-shelfgate-signature']).toBe(`sha256=${createHmac('sha256', 'whsec').update(req.body).digest('hex')}`)
    expect(req.headers['x-shelfgate-timestamp']).toBe(String(ctx.now))
    expect(req.headers['idempotency-key']).toBe('idem-42')
    expect(JSON.parse(req.body)).toMatchObject({ id: 'idem-42', timestamp: ctx.now, kind: 'new', severity: 'critical', alertIds: ['a1'] })
  })

  it('treats 5xx and a refused connection as retryable, 4xx as permanent', async () => {
    const ch = new WebhookChannel({ name: 'wh', url: `${rx.url}/h` })
    rx.failNext(1, 502)
    rx.answerJson({ error: 'nope' }, 1, 404)
    expect((await ch.send(message(), ctx)).status).toBe('retryable')
    expect((await ch.send(message(), ctx)).status).toBe('permanent')
    await rx.close()
    expect((await ch.send(message(), ctx)).status).toBe('retryable')
    rx = await startHttpReceiver()
  })
})
