import { describe, expect, it } from 'vitest'
import type { Reading } from '../../gateway/contract/readings.ts'
import { DurableSink } from '../../gateway/ingest/durableSink.ts'
import { Deadband } from '../../gateway/store/deadband.ts'
import { StorageError } from '../../gateway/store/errors.ts'
import { GroupCommitter } from '../../gateway/store/groupCommit.ts'

const temp = (c: number, seq: number): Reading => ({ kind: 'cold.temp', device: 'cold-f1', unit: 'F1', c, probe: 'air', ts: Date.UTC(2026, 10, 23) + seq * 1000, seq })

describe('durable sink while storage is failing', () => {
  it('hands a reading to the rules at once instead of waiting seconds for a failing commit, and withholds its acknowledgement', async () => {
    // A card that is failing and slow to say so (I/O errors can take seconds to surface).
    const target = { insertReadings: () => new Promise<number>((_, reject) => setTimeout(() => reject(new StorageError('full', 'database or disk is full')), 300)) }
    const committer = new GroupCommitter({ target, maxDelayMs: 1 })
    const sink = new DurableSink({ committer, deadband: new Deadband(), retryMinMs: 50, retryMaxMs: 50 })
    const live: number[] = []
    const acked: number[] = []
    sink.write(temp(3, 1), () => live.push(1), () => acked.push(1))
    await new Promise((r) => setTimeout(r, 350)) // the first commit has failed: storage is unhealthy now
    expect(committer.health.healthy).toBe(false)
    const t0 = performance.now()
    sink.write(temp(6, 2), () => live.push(Math.round(performance.now() - t0)), () => acked.push(2))
    expect(live).toHaveLength(2)
    expect(live[1]).toBeLessThan(50)
    expect(acked).toEqual([])
    sink.close()
  })

  it('says a reading is held as soon as its commit fails, and acknowledges it once storage takes it again', async () => {
    let full = true
    const target = { insertReadings: (rs: readonly Reading[]) => (full ? Promise.reject(new StorageError('full', 'database or disk is full')) : Promise.resolve(rs.length)) }
    const sink = new DurableSink({ committer: new GroupCommitter({ target, maxDelayMs: 1 }), deadband: new Deadband(), retryMinMs: 20, retryMaxMs: 20 })
    const steps: string[] = []
    sink.write(temp(3, 1), () => steps.push('live'), (err) => steps.push(err ? 'failed' : 'acked'), () => steps.push('held'))
    await new Promise((r) => setTimeout(r, 60))
    expect(steps).toEqual(['live', 'held'])
    expect(sink.held).toBe(1)
    full = false
    await new Promise((r) => setTimeout(r, 60))
    expect(steps).toEqual(['live', 'held', 'acked'])
    expect(sink.held).toBe(0)
    sink.close()
  })
})
