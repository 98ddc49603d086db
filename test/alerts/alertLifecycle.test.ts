import { describe, expect, it } from 'vitest'
import { AlertError } from '../../gateway/alerts/engine.ts'
import { fridgeTooWarm, min, setup } from './fixtures.ts'

describe('alert lifecycle', () => {
  it('keeps one alert per fridge while it stays too warm: repeats update the value, nobody is spammed', async () => {
    const { engine, clock, intents, store } = setup()
    const first = await engine.onCondition(fridgeTooWarm({ value: 8.2 }))
    clock.advance(1 * min)
    await engine.onCondition(fridgeTooWarm({ value: 9.1 }))
    clock.advance(1 * min)
    const third = await engine.onCondition(fridgeTooWarm({ value: 9.4 }))

    expect(third?.id).toBe(first?.id)
    expect(await store.listActive()).toHaveLength(1)
    expect(third).toMatchObject({ value: 9.4, occurrences: 3, lastSeenAt: clock.now() })
    expect(intents.filter((i) => i.kind === 'new')).toHaveLength(1)
    expect(intents).toHaveLength(1)
  })

  it('records who acknowledged, when and their note, and publishes the change', async () => {
    const { engine, clock, changes, store } = setup()
    const alert = await engine.onCondition(fridgeTooWarm())
    clock.advance(3 * min)
    const acked = await engine.acknowledge(alert!.id, { who: '李店员', note: '正在转移商品' })

    expect(acked.status).toBe('acknowledged')
    expect(acked.acknowledged).toEqual({ by: '李店员', at: clock.now(), note: '正在转移商品' })
    expect(changes.map((c) => c.type)).toEqual(['opened', 'acknowledged'])
    expect((await store.audit(alert!.id)).map((e) => [e.who, e.what])).toEqual([
      ['system', 'opened'],
      ['李店员', 'acknowledged'],
    ])
  })

  it('resolves by itself when the fridge recovers, keeping the closing temperature', async () => {
    const { engine, clock, intents, store } = setup()
    const alert = await engine.onCondition(fridgeTooWarm())
    clock.advance(20 * min)
    await engine.onCondition(fridgeTooWarm({ active: false, value: 4.1, at: clock.now() }))

    const closed = await store.get(alert!.id)
    expect(closed?.status).toBe('resolved')
    expect(closed?.resolved).toEqual({ by: 'system', at: clock.now(), how: 'condition-cleared', closingValue: 4.1 })
    expect(intents.map((i) => i.kind)).toEqual(['new', 'resolved'])
    expect(await store.listActive()).toEqual([])
  })

  it('lets the manager close an alert by hand with the corrective action taken, for the HACCP log', async () => {
    const { engine, clock, store } = setup()
    const alert = await engine.onCondition(fridgeTooWarm())
    clock.advance(30 * min)
    await engine.resolve(alert!.id, { who: '王店长', correctiveAction: '商品移至 R1 冷库', note: '压缩机重启' })

    const closed = await store.get(alert!.id)
    expect(closed?.resolved).toMatchObject({ how: 'manual', by: '王店长', correctiveAction: '商品移至 R1 冷库', note: '压缩机重启' })
    const audit = await store.audit(alert!.id)
    expect(audit.at(-1)).toMatchObject({ who: '王店长', what: 'resolved', at: clock.now(), detail: '商品移至 R1 冷库 — 压缩机重启' })
    await expect(engine.acknowledge(alert!.id, { who: '李店员' })).rejects.toBeInstanceOf(AlertError)
  })

  it('opens a fresh alert when the same condition comes back after it was resolved', async () => {
    const { engine, clock } = setup()
    const first = await engine.onCondition(fridgeTooWarm())
    await engine.onCondition(fridgeTooWarm({ active: false, value: 4 }))
    clock.advance(60 * min)
    const second = await engine.onCondition(fridgeTooWarm())
    expect(second?.id).not.toBe(first?.id)
    expect(second?.status).toBe('open')
  })

  it('never opens two alerts when two reports for the same fridge arrive at the same moment', async () => {
    const { engine, store } = setup()
    await Promise.all([engine.onCondition(fridgeTooWarm({ value: 8 })), engine.onCondition(fridgeTooWarm({ value: 8.5 }))])
    expect(await store.listActive()).toHaveLength(1)
  })

  it('ignores a clear for a condition that never raised an alert', async () => {
    const { engine, intents, changes } = setup()
    expect(await engine.onCondition(fridgeTooWarm({ active: false }))).toBeUndefined()
    expect(intents).toEqual([])
    expect(changes).toEqual([])
  })

  it('tells people again when a warning on the same fridge becomes critical', async () => {
    const { engine, clock, intents, store } = setup()
    const a = await engine.onCondition(fridgeTooWarm({ severity: 'warning' }))
    clock.advance(5 * min)
    await engine.onCondition(fridgeTooWarm({ severity: 'critical', value: 11 }))
    expect((await store.get(a!.id))?.severity).toBe('critical')
    expect(intents.map((i) => [i.kind, i.alert.severity])).toEqual([
      ['new', 'warning'],
      ['renotify', 'critical'],
    ])
  })
})
