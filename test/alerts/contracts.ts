/**
 * Contract suites every AlertStore and Outbox backend must pass (the aedes habit): run here against the
 * in-memory ones; the SQLite backends call the same functions with their own factory.
 */
import { describe, expect, it } from 'vitest'
import type { Outbox, OutboxEntry } from '../../gateway/alerts/delivery/outbox.ts'
import type { AlertStore } from '../../gateway/alerts/store.ts'
import type { Alert } from '../../gateway/alerts/types.ts'
import { message } from './message.ts'

function alert(over: Partial<Alert> = {}): Alert {
  return {
    id: 'a1', rule: 'cold.excursion.alarm', subject: 'cold/F1', area: 'fresh', severity: 'critical', status: 'open',
    message: { key: 'cold.excursion.alarm', params: { name: '乳品冷柜' } }, value: 8, openedAt: 1, lastSeenAt: 1, occurrences: 1, escalationLevel: 0,
    ...over,
  }
}

export function alertStoreContract(name: string, make: () => Promise<AlertStore>): void {
  describe(`AlertStore contract: ${name}`, () => {
    it('finds the active alert for a rule and subject, and forgets it once resolved', async () => {
      const s = await make()
      await s.commit(alert(), [{ alertId: 'a1', at: 1, who: 'system', what: 'opened' }])
      expect((await s.findActive('cold.excursion.alarm', 'cold/F1'))?.id).toBe('a1')
      await s.commit(alert({ status: 'resolved', resolved: { by: 'system', at: 2, how: 'condition-cleared', closingValue: 4 } }), [])
      expect(await s.findActive('cold.excursion.alarm', 'cold/F1')).toBeUndefined()
      expect((await s.get('a1'))?.resolved?.closingValue).toBe(4)
      expect(await s.listActive()).toEqual([])
    })

    it('keeps the audit trail in order per alert', async () => {
      const s = await make()
      await s.commit(alert(), [{ alertId: 'a1', at: 1, who: 'system', what: 'opened' }])
      await s.commit(alert({ id: 'a2', subject: 'cold/F2' }), [{ alertId: 'a2', at: 2, who: 'system', what: 'opened' }])
      await s.commit(alert({ status: 'acknowledged' }), [{ alertId: 'a1', at: 3, who: '李店员', what: 'acknowledged', detail: '处理中' }])
      expect((await s.audit('a1')).map((e) => e.what)).toEqual(['opened', 'acknowledged'])
      expect(await s.audit()).toHaveLength(3)
    })

    it('lists the latest alerts of any status, newest first', async () => {
      const s = await make()
      await s.commit(alert({ id: 'old', openedAt: 1, status: 'resolved' }), [])
      await s.commit(alert({ id: 'new', subject: 'cold/F2', openedAt: 5 }), [])
      expect((await s.listRecent(10)).map((a) => a.id)).toEqual(['new', 'old'])
      expect(await s.listRecent(1)).toHaveLength(1)
    })

    it('returns copies: changing a returned alert does not change the store', async () => {
      const s = await make()
      await s.commit(alert(), [])
      const got = await s.get('a1')
      got!.value = 99
      expect((await s.get('a1'))?.value).toBe(8)
    })
  })
}

function entry(id: string, over: Partial<OutboxEntry> = {}): OutboxEntry {
  return { id, channel: 'wecom', message: message(), idempotencyKey: id, createdAt: 1, notBefore: 1, attempts: 0, held: false, status: 'pending', ...over }
}

export function outboxContract(name: string, make: () => Promise<Outbox>): void {
  describe(`Outbox contract: ${name}`, () => {
    it('returns due pending entries of one channel, oldest first', async () => {
      const o = await make()
      await o.enqueue(entry('b', { createdAt: 2 }))
      await o.enqueue(entry('a', { createdAt: 1 }))
      await o.enqueue(entry('later', { createdAt: 3, notBefore: 100 }))
      await o.enqueue(entry('other', { channel: 'ntfy' }))
      expect((await o.due('wecom', 50)).map((e) => e.id)).toEqual(['a', 'b'])
      expect((await o.due('wecom', 100)).map((e) => e.id)).toEqual(['a', 'b', 'later'])
    })

    it('ignores a second enqueue of the same id', async () => {
      const o = await make()
      await o.enqueue(entry('a'))
      await o.enqueue(entry('a', { channel: 'ntfy' }))
      expect((await o.list()).map((e) => e.channel)).toEqual(['wecom'])
    })

    it('replaces merged parts by their digest', async () => {
      const o = await make()
      await o.enqueue(entry('a'))
      await o.enqueue(entry('b'))
      await o.merge(['a', 'b'], entry('d', { createdAt: 1 }))
      expect((await o.due('wecom', 10)).map((e) => e.id)).toEqual(['d'])
      expect(await o.get('a')).toMatchObject({ status: 'merged', mergedInto: 'd' })
    })

    it('counts attempts, reschedules, and stops returning sent or dead entries', async () => {
      const o = await make()
      await o.enqueue(entry('a'))
      await o.enqueue(entry('b'))
      await o.beginAttempt('a', 5)
      await o.retryLater('a', 50, 'HTTP 503')
      expect(await o.get('a')).toMatchObject({ attempts: 1, notBefore: 50, lastError: 'HTTP 503' })
      expect((await o.due('wecom', 10)).map((e) => e.id)).toEqual(['b'])
      await o.markSent('a', 60)
      await o.markDead('b', 'bad key')
      expect(await o.due('wecom', 100)).toEqual([])
      expect(await o.get('a')).toMatchObject({ status: 'sent', sentAt: 60 })
    })
  })
}
