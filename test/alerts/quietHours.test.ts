import { describe, expect, it } from 'vitest'
import { ManualClock } from '../../gateway/core/clock.ts'
import { Dispatcher } from '../../gateway/alerts/delivery/dispatcher.ts'
import { MemoryOutbox } from '../../gateway/alerts/delivery/outbox.ts'
import { AlertEngine } from '../../gateway/alerts/engine.ts'
import { Notifier } from '../../gateway/alerts/notifier.ts'
import { quietUntil } from '../../gateway/alerts/quietHours.ts'
import { MemoryAlertStore } from '../../gateway/alerts/store.ts'
import { fridgeTooWarm, min, routing } from './fixtures.ts'
import { MemoryChannel } from './memoryChannel.ts'

const shanghai = (h: number, m: number, day = 1) => Date.UTC(2026, 0, day, h - 8, m)
const quiet = { from: '22:30', to: '07:00', timezone: 'Asia/Shanghai' }

function store(start: number) {
  const clock = new ManualClock(start)
  const outbox = new MemoryOutbox()
  const group = new MemoryChannel('store-group')
  const others = ['wang-ntfy', 'li-ntfy', 'zhao-ntfy'].map((n) => new MemoryChannel(n))
  let n = 0
  const notifier = new Notifier({ outbox, lang: 'zh-CN', timezone: 'Asia/Shanghai', staffBaseUrl: 'http://gw.local:8080', newId: () => `m${++n}` })
  const engine = new AlertEngine({
    store: new MemoryAlertStore(),
    clock,
    config: { routing, quietHours: { ...quiet, except: ['critical'] } },
    sink: { notify: (i) => notifier.notify(i), change: () => {} },
  })
  const dispatcher = new Dispatcher({ outbox, channels: [group, ...others], clock, random: () => 0.5, newId: () => `d${++n}` })
  const run = async () => {
    dispatcher.tick()
    await dispatcher.idle()
  }
  return { clock, engine, group, run }
}

describe('quiet hours', () => {
  it('knows 22:30–07:00 in Shanghai crosses midnight and ends at 07:00 local time', () => {
    expect(quietUntil(shanghai(22, 29), quiet)).toBeUndefined()
    expect(quietUntil(shanghai(22, 30), quiet)).toBe(shanghai(7, 0, 2))
    expect(quietUntil(shanghai(3, 15), quiet)).toBe(shanghai(7, 0))
    expect(quietUntil(shanghai(7, 0), quiet)).toBeUndefined()
  })

  it('holds non-critical alerts overnight and sends them as one digest at 07:00', async () => {
    const s = store(shanghai(23, 0))
    await s.engine.onCondition(fridgeTooWarm({ rule: 'shelf.restock.low', subject: 'shelf/A1/L1', severity: 'warning', area: 'shelves', message: { key: 'shelf.restock.low', params: { name: '纯牛奶 250ml', count: 3 } } }))
    s.clock.advance(2 * 60 * min)
    await s.engine.onCondition(fridgeTooWarm({ rule: 'shelf.restock.low', subject: 'shelf/A1/L2', severity: 'warning', area: 'shelves', message: { key: 'shelf.restock.low', params: { name: '鲜鸡蛋 10枚', count: 1 } } }))
    await s.engine.onCondition(fridgeTooWarm({ rule: 'locker.overdue', subject: 'locker/K1/3', severity: 'info', area: 'lockers', message: { key: 'locker.overdue', params: { name: 'K1-3' } } }))
    await s.run()
    expect(s.group.sent).toEqual([])

    s.clock.set(shanghai(6, 59, 2))
    await s.run()
    expect(s.group.sent).toEqual([])

    s.clock.set(shanghai(7, 0, 2))
    await s.run()
    expect(s.group.sent).toHaveLength(1)
    const digest = s.group.sent[0]!.msg
    expect(digest.kind).toBe('digest')
    expect(digest.title).toBe('Shelfgate：3 条通知')
    expect(digest.text).toContain('纯牛奶 250ml 库存低：剩 3 件')
    expect(digest.text).toContain('鲜鸡蛋 10枚 库存低：剩 1 件')
    expect(digest.text).toContain('K1-3 订单超时未取')
  })

  it('still wakes staff for a critical alert at 03:00', async () => {
    const s = store(shanghai(3, 0))
    await s.engine.onCondition(fridgeTooWarm())
    await s.run()
    expect(s.group.sent).toHaveLength(1)
    expect(s.group.sent[0]!.msg.title).toBe('[严重] 乳品冷柜 温度持续超标：8.2°C（上限 5°C）')
  })
})
