import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../gateway/core/clock.ts'
import { DingtalkChannel } from '../../gateway/alerts/channels/dingtalk.ts'
import type { Channel } from '../../gateway/alerts/channels/types.ts'
import { WebhookChannel } from '../../gateway/alerts/channels/webhook.ts'
import { WecomChannel } from '../../gateway/alerts/channels/wecom.ts'
import { Dispatcher } from '../../gateway/alerts/delivery/dispatcher.ts'
import { MemoryOutbox } from '../../gateway/alerts/delivery/outbox.ts'
import { startHttpReceiver, type HttpReceiver } from '../support/httpReceiver.ts'
import { message } from './message.ts'

const receivers: HttpReceiver[] = []
afterEach(async () => {
  for (const r of receivers.splice(0)) await r.close()
})
async function receiver(body = '{"errcode":0,"errmsg":"ok"}') {
  const r = await startHttpReceiver({ status: 200, body })
  receivers.push(r)
  return r
}

function rig(channels: Channel[]) {
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 4, 0))
  const outbox = new MemoryOutbox()
  let n = 0
  const dispatcher = new Dispatcher({ outbox, channels, clock, random: () => 0.5, newId: () => `digest-${++n}` })
  let m = 0
  const enqueue = (channel: string, title = `alert ${m + 1}`) => {
    const id = `msg-${++m}`
    return outbox.enqueue({ id, channel, message: message({ title, text: title, alertIds: [id] }), idempotencyKey: id, createdAt: clock.now(), notBefore: clock.now(), attempts: 0, held: false, status: 'pending' })
  }
  const run = async () => {
    dispatcher.tick()
    await dispatcher.idle()
  }
  return { clock, outbox, dispatcher, enqueue, run }
}

describe('durable delivery', () => {
  it('retries through an outage with growing delays and delivers exactly once with one idempotency key', async () => {
    const rx = await receiver('{}')
    const r = rig([new WebhookChannel({ name: 'wh', url: `${rx.url}/in` })])
    rx.failNext(3, 503)
    await r.enqueue('wh')

    const delays: number[] = []
    let last = r.clock.now()
    for (let i = 0; i < 200 && rx.requests.filter((q) => q.answered === 200).length === 0; i++) {
      const before = rx.requests.length
      await r.run()
      if (rx.requests.length > before) {
        delays.push(r.clock.now() - last)
        last = r.clock.now()
      }
      r.clock.advance(250)
    }
    // Equal jitter with random 0.5: 3/4 of 5 s, 10 s, 20 s.
    expect(delays.slice(1)).toEqual([3_750, 7_500, 15_000])
    expect(rx.requests.map((q) => q.answered)).toEqual([503, 503, 503, 200])
    expect(new Set(rx.requests.map((q) => q.headers['idempotency-key']))).toEqual(new Set(['msg-1']))

    r.clock.advance(60 * 60_000)
    await r.run()
    expect(rx.requests).toHaveLength(4)
    expect(await r.outbox.get('msg-1')).toMatchObject({ status: 'sent', attempts: 4 })
  })

  it('keeps WeCom under 20 a minute by folding the overflow into one digest, dropping nothing', async () => {
    const rx = await receiver()
    const r = rig([new WecomChannel({ name: 'wecom', key: 'K', baseUrl: rx.url })])
    for (let i = 0; i < 25; i++) {
      await r.enqueue('wecom')
      await r.run()
      r.clock.advance(1_000)
    }
    expect(rx.requests).toHaveLength(20)

    // Keep ticking every second: the first slot frees 60 s after the first send.
    const firstSentAt = Date.UTC(2026, 0, 1, 4, 0)
    let digestAt = 0
    while (r.clock.now() < firstSentAt + 120_000) {
      await r.run()
      if (!digestAt && rx.requests.length === 21) digestAt = r.clock.now()
      r.clock.advance(1_000)
    }
    expect(rx.requests).toHaveLength(21)
    expect(digestAt).toBe(firstSentAt + 60_000)
    const digest = JSON.parse(rx.requests[20]!.body).markdown.content as string
    for (let i = 21; i <= 25; i++) expect(digest).toContain(`alert ${i}`)
    expect(digest).toContain('5 条通知')
    const sent = (await r.outbox.list()).filter((e) => e.status === 'sent').flatMap((e) => e.message.alertIds)
    expect(new Set(sent).size).toBe(25)
  })

  it('waits out DingTalk\'s 10-minute penalty, then sends what piled up as one message', async () => {
    const rx = await receiver()
    const r = rig([new DingtalkChannel({ name: 'dd', accessToken: 'T', baseUrl: rx.url })])
    rx.answerJson({ errcode: 130101, errmsg: 'send too fast' })
    await r.enqueue('dd')
    await r.run()
    for (let i = 0; i < 3; i++) {
      r.clock.advance(60_000)
      await r.enqueue('dd')
      await r.run()
    }
    expect(rx.requests).toHaveLength(1)

    r.clock.advance(7 * 60_000 - 1)
    await r.run()
    expect(rx.requests).toHaveLength(1)
    r.clock.advance(1)
    await r.run()
    // The throttled message goes first, alone (same key); then the three newer ones as one digest.
    expect(rx.requests).toHaveLength(3)
    expect(JSON.parse(rx.requests[1]!.body).markdown.title).toBe('alert 1')
    expect(JSON.parse(rx.requests[2]!.body).markdown.title).toBe('Shelfgate：3 条通知')
  })

  it('delivers to a working channel while another channel hangs', async () => {
    const down = await receiver()
    const up = await receiver()
    down.hangNext(10)
    const r = rig([
      new WecomChannel({ name: 'down', key: 'K', baseUrl: down.url, timeoutMs: 1_500 }),
      new WecomChannel({ name: 'up', key: 'K', baseUrl: up.url }),
    ])
    await r.enqueue('down')
    await r.enqueue('up')
    const started = Date.now()
    r.dispatcher.tick()
    await up.waitFor(1, 1_000)
    await down.waitFor(1, 1_000)
    expect(Date.now() - started).toBeLessThan(1_000)

    r.clock.advance(2_000)
    await r.enqueue('up', 'second')
    r.dispatcher.tick()
    await up.waitFor(2, 1_000)
    expect(down.requests).toHaveLength(1) // the hung request is not duplicated while in flight
    await r.dispatcher.idle()
  })

  it('resends a timed-out message alone under its own key instead of folding it into a digest', async () => {
    const rx = await receiver('{}')
    const r = rig([new WebhookChannel({ name: 'wh', url: rx.url, timeoutMs: 200 })])
    rx.hangNext(1)
    await r.enqueue('wh')
    await r.run()
    expect((await r.outbox.get('msg-1'))?.lastError).toContain('no answer within 200 ms')

    await r.enqueue('wh')
    await r.enqueue('wh')
    r.clock.advance(60_000)
    await r.run()
    // The uncertain one goes alone with its first key; the two that waited behind it form a digest.
    expect(rx.requests.map((q) => q.headers['idempotency-key'])).toEqual(['msg-1', 'msg-1', 'digest-2'])
    expect(JSON.parse(rx.requests[2]!.body).alertIds).toEqual(['msg-2', 'msg-3'])
  })

  it('parks a message the service refuses for good and carries on with the next', async () => {
    const rx = await receiver()
    const r = rig([new WecomChannel({ name: 'wecom', key: 'K', baseUrl: rx.url })])
    rx.answerJson({ errcode: 93000, errmsg: 'invalid webhook url' })
    await r.enqueue('wecom')
    await r.run()
    await r.enqueue('wecom')
    await r.run()
    expect(await r.outbox.get('msg-1')).toMatchObject({ status: 'dead', lastError: expect.stringContaining('93000') })
    expect(await r.outbox.get('msg-2')).toMatchObject({ status: 'sent' })
  })
})
