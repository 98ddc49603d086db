import { describe, expect, it } from 'vitest'
import type { Reading } from '../../gateway/contract/readings.ts'
import { DurableSink } from '../../gateway/ingest/durableSink.ts'
import { Deadband } from '../../gateway/store/deadband.ts'
import { StorageError } from '../../gateway/store/errors.ts'
import { GroupCommitter } from '../../gateway/store/groupCommit.ts'

const temp = (c: number, seq: number): Reading => ({ kind: 'cold.temp', device: 'cold-f1', unit: 'F1', c, probe: 'air', ts: Date.UTC(2026, 10, 23) + seq * 1000, seq })

/** A waiter that writes down what it is told, in order. */
function recorder() {
  const steps: string[] = []
  return { steps, waiter: { committed: () => void steps.push('acked'), failed: () => void steps.push('failed'), held: () => void steps.push('held') } }
}
const full = () => Promise.reject(new StorageError('full', 'database or disk is full'))

describe('durable sink while storage is failing', () => {
  it('says a reading is held as soon as its commit fails, and acknowledges it once storage takes it again', async () => {
    let isFull = true
    const target = { insertReadings: (rs: readonly Reading[]) => (isFull ? full() : Promise.resolve(rs.length)) }
    const sink = new DurableSink({ committer: new GroupCommitter({ target, maxDelayMs: 1 }), deadband: new Deadband(), retryMinMs: 20, retryMaxMs: 20 })
    const r = recorder()
    sink.persist(temp(3, 1), r.waiter)
    await new Promise((res) => setTimeout(res, 60))
    expect(r.steps).toEqual(['held'])
    expect(sink.held).toBe(1)
    isFull = false
    await new Promise((res) => setTimeout(res, 60))
    expect(r.steps).toEqual(['held', 'acked'])
    expect(sink.held).toBe(0)
    sink.close()
  })

  it('holds no more than maxHeld readings: the next failed one fails, so its device resends it later', async () => {
    const sink = new DurableSink({ committer: new GroupCommitter({ target: { insertReadings: full }, maxDelayMs: 1 }), deadband: new Deadband(), maxHeld: 1, retryMinMs: 1000 })
    const first = recorder()
    const second = recorder()
    sink.persist(temp(3, 1), first.waiter)
    await new Promise((res) => setTimeout(res, 30))
    sink.persist(temp(6, 2), second.waiter)
    await new Promise((res) => setTimeout(res, 30))
    expect(first.steps).toEqual(['held'])
    expect(second.steps).toEqual(['failed'])
    sink.close()
  })

  it('acknowledges a reading within the deadband at once, without a commit', async () => {
    const sink = new DurableSink({ committer: new GroupCommitter({ target: { insertReadings: full }, maxDelayMs: 1 }), deadband: new Deadband(), retryMinMs: 1000 })
    const stored = recorder()
    sink.persist(temp(3, 1), stored.waiter)
    const same = recorder()
    sink.persist(temp(3.1, 2), same.waiter)
    expect(same.steps).toEqual(['acked'])
    expect(stored.steps).toEqual([])
    sink.close()
  })
})
