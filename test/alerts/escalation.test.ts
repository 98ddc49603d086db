import { describe, expect, it } from 'vitest'
import { fridgeTooWarm, min, routing, setup } from './fixtures.ts'

describe('re-notification, escalation and routing', () => {
  it('sends a fresh-food alert to the staff who look after fresh food, on the group and their own phone', async () => {
    const { engine, intents } = setup()
    await engine.onCondition(fridgeTooWarm())
    expect(intents[0]?.recipients.map((r) => r.id)).toEqual(['li'])
    expect(intents[0]?.channels.sort()).toEqual(['li-ntfy', 'store-group'])
  })

  it('gives the manager everything when configured to copy the manager', async () => {
    const { engine, intents } = setup({ routing: { ...routing, copyRoles: ['manager'] } })
    await engine.onCondition(fridgeTooWarm({ area: 'lockers', severity: 'info' }))
    expect(intents[0]?.recipients.map((r) => r.id).sort()).toEqual(['wang', 'zhao'])
  })

  it('goes to the manager when no staff member looks after the area', async () => {
    const { engine, intents } = setup()
    await engine.onCondition(fridgeTooWarm({ area: 'frozen' }))
    expect(intents[0]?.recipients.map((r) => r.id)).toEqual(['wang'])
  })

  it('escalates an unacknowledged critical alert to the manager after 10 minutes, mentioning them', async () => {
    const { engine, clock, intents, store } = setup()
    const alert = await engine.onCondition(fridgeTooWarm())
    clock.advance(9 * min + 59_000)
    await engine.tick()
    expect(intents.map((i) => i.kind)).toEqual(['new'])

    clock.advance(1_000)
    await engine.tick()
    const esc = intents.at(-1)
    expect(esc?.kind).toBe('escalated')
    expect(esc?.recipients).toEqual([{ id: 'wang', name: '王店长', role: 'manager', mobile: '13800000000' }])
    expect(esc?.channels.sort()).toEqual(['store-group', 'wang-ntfy'])
    expect((await store.get(alert!.id))?.escalationLevel).toBe(1)
    expect((await store.audit(alert!.id)).map((e) => e.what)).toContain('escalated')
  })

  it('reminds everyone told so far every 15 minutes until someone acknowledges', async () => {
    const { engine, clock, intents } = setup()
    const alert = await engine.onCondition(fridgeTooWarm())
    for (let i = 0; i < 40; i++) {
      clock.advance(1 * min)
      await engine.tick()
    }
    // 10 min: escalation; 25 and 40 min: reminders to staff + manager.
    expect(intents.map((i) => [i.kind, i.at - intents[0]!.at])).toEqual([
      ['new', 0],
      ['escalated', 10 * min],
      ['renotify', 25 * min],
      ['renotify', 40 * min],
    ])
    expect(intents.at(-1)?.recipients.map((r) => r.id).sort()).toEqual(['li', 'wang'])

    await engine.acknowledge(alert!.id, { who: '李店员' })
    clock.advance(60 * min)
    await engine.tick()
    expect(intents).toHaveLength(4)
  })

  it('does not escalate or repeat warnings: only critical alerts have timers', async () => {
    const { engine, clock, intents } = setup()
    await engine.onCondition(fridgeTooWarm({ severity: 'warning' }))
    clock.advance(120 * min)
    await engine.tick()
    expect(intents.map((i) => i.kind)).toEqual(['new'])
  })

  it('stops escalating once someone acknowledges within the 10 minutes', async () => {
    const { engine, clock, intents } = setup()
    const alert = await engine.onCondition(fridgeTooWarm())
    clock.advance(5 * min)
    await engine.acknowledge(alert!.id, { who: '李店员' })
    clock.advance(30 * min)
    await engine.tick()
    expect(intents.map((i) => i.kind)).toEqual(['new'])
  })
})
