/** Events are written in batches, never lost while storage fails, and never behind a snapshot. */
import { describe, expect, it } from 'vitest'
import { createLogger } from '../../gateway/core/log.ts'
import { StateSnapshots } from '../../gateway/core/stateSnapshots.ts'
import { EventBatch } from '../../gateway/store/eventBatch.ts'
import { MemoryStore } from '../../gateway/store/memoryStore.ts'
import type { EventInput } from '../../gateway/store/types.ts'

const log = createLogger('silent')
const T0 = Date.UTC(2026, 10, 23, 9)
const pick = (i: number): EventInput => ({ ts: T0 + i * 1000, type: 'pick', subject: 'shelf/A1/L1', data: { qty: 1 }, dedupeKey: `shelf/A1/L1|pick|${T0 + i * 1000}` })
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('event batches', () => {
  it('writes the picks of one window in one commit', async () => {
    const store = new MemoryStore()
    const commits: number[] = []
    const batch = new EventBatch({ store: { appendEvents: (es) => (commits.push(es.length), store.appendEvents(es)) }, log, maxDelayMs: 30 })
    for (let i = 0; i < 3; i++) batch.add(pick(i))
    expect(await store.listEvents({})).toEqual([])
    await sleep(80)
    expect(commits).toEqual([3])
    expect((await store.listEvents({})).map((e) => e.ts)).toEqual([T0, T0 + 1000, T0 + 2000])
  })

  it('keeps the events of a failed write for the next one, in order, and stores each once', async () => {
    const store = new MemoryStore()
    let full = true
    const batch = new EventBatch({ store: { appendEvents: (es) => (full ? Promise.reject(new Error('SQLITE_FULL')) : store.appendEvents(es)) }, log, maxDelayMs: 20 })
    batch.add(pick(0))
    batch.add(pick(1))
    await batch.flush()
    expect(batch.queued).toBe(2)
    batch.add(pick(2))
    full = false
    await batch.flush()
    expect(batch.queued).toBe(0)
    expect((await store.listEvents({})).map((e) => e.ts)).toEqual([T0, T0 + 1000, T0 + 2000])
  })

  it('stores the events behind a snapshot before the snapshot itself', async () => {
    const store = new MemoryStore()
    const order: string[] = []
    const events = new EventBatch({ store: { appendEvents: (es) => (order.push(`events ${es.length}`), store.appendEvents(es)) }, log, maxDelayMs: 60_000 })
    const snapshots = new StateSnapshots({
      store: { putState: async (key) => void order.push(`snapshot ${key}`), putStates: async (es) => void order.push(`snapshot ${es.map((e) => e.key).join(',')}`) },
      clock: { now: () => Date.now() } as never,
      log,
      minIntervalMs: 10,
      beforeWrite: () => events.flush(),
    })
    events.add(pick(0))
    snapshots.mark('shelf/A1/L1', () => ({ count: 5 }))
    await snapshots.flush()
    expect(order).toEqual(['events 1', 'snapshot shelf/A1/L1'])
  })
})
