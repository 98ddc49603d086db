import { describe, expect, it } from 'vitest'
import type { Reading } from '../../gateway/contract/readings.ts'
import { StorageError } from '../../gateway/store/errors.ts'
import type { StoreHealth } from '../../gateway/store/groupCommit.ts'
import { GroupCommitter } from '../../gateway/store/groupCommit.ts'
import { T0, weight } from './readings.ts'
import { useTempStore } from './tempDir.ts'

/** A target that records each batch and lets the test decide when its "COMMIT" returns. */
function gatedTarget() {
  const batches: Reading[][] = []
  const gates: Array<{ resolve: () => void; reject: (e: unknown) => void }> = []
  return {
    batches,
    gates,
    insertReadings(readings: readonly Reading[]): Promise<number> {
      batches.push([...readings])
      return new Promise<number>((resolve, reject) => gates.push({ resolve: () => resolve(readings.length), reject }))
    },
  }
}
const tick = () => new Promise((r) => setTimeout(r, 30))

describe('group commit', () => {
  it('writes readings that arrive together in one batch', async () => {
    const t = gatedTarget()
    const gc = new GroupCommitter({ target: t, maxDelayMs: 5 })
    const done = Promise.all([1, 2, 3].map((n) => gc.submit(weight(n, T0 + n))))
    await tick()
    t.gates[0]?.resolve()
    await done
    expect(t.batches.map((b) => b.length)).toEqual([3])
  })

  it('starts a batch as soon as maxRows readings are waiting, without waiting for the timer', async () => {
    const t = gatedTarget()
    const gc = new GroupCommitter({ target: t, maxDelayMs: 60_000, maxRows: 2 })
    void gc.submit(weight(1, T0))
    void gc.submit(weight(2, T0 + 1))
    await Promise.resolve()
    expect(t.batches.map((b) => b.length)).toEqual([2])
    t.gates[0]?.resolve()
  })

  it('never splits what a device sent in one go over two batches, even past maxBatchRows', async () => {
    const t = gatedTarget()
    const gc = new GroupCommitter({ target: t, maxDelayMs: 1, maxRows: 2, maxBatchRows: 3 })
    // Each synchronous run is one socket read's publishes, handed over together by aedes.
    const run = (from: number) => [0, 1].map((i) => gc.submit(weight(from + i, T0 + from + i)))
    const all = [...run(0)]
    await Promise.resolve()
    expect(t.batches.map((b) => b.length)).toEqual([2])
    all.push(...run(10))
    await Promise.resolve()
    all.push(...run(20))
    await Promise.resolve()
    t.gates[0]?.resolve()
    await tick()
    // Four readings waited; three would fit, but that would cut the second run in two.
    expect(t.batches.map((b) => b.map((r) => (r as { g: number }).g))).toEqual([[0, 1], [10, 11]])
    t.gates[1]?.resolve()
    await tick()
    t.gates[2]?.resolve()
    await Promise.all(all)
    expect(t.batches.map((b) => b.length)).toEqual([2, 2, 2])
  })

  it('takes a single run larger than maxBatchRows whole', async () => {
    const t = gatedTarget()
    const gc = new GroupCommitter({ target: t, maxDelayMs: 1, maxRows: 2, maxBatchRows: 3 })
    const all = [0, 1, 2, 3, 4].map((n) => gc.submit(weight(n, T0 + n)))
    await tick()
    t.gates[0]?.resolve()
    await Promise.all(all)
    expect(t.batches.map((b) => b.length)).toEqual([5])
  })

  it('does not acknowledge a reading before its batch has committed', async () => {
    const t = gatedTarget()
    const gc = new GroupCommitter({ target: t, maxDelayMs: 1 })
    let acked = false
    const p = gc.submit(weight(1, T0)).then(() => (acked = true))
    await tick()
    expect(acked).toBe(false)
    t.gates[0]?.resolve()
    await p
    expect(acked).toBe(true)
  })

  it('keeps one commit in flight and gathers newcomers into the next batch', async () => {
    const t = gatedTarget()
    const gc = new GroupCommitter({ target: t, maxDelayMs: 1 })
    const first = gc.submit(weight(1, T0))
    await tick()
    const later = [2, 3, 4].map((n) => gc.submit(weight(n, T0 + n)))
    await tick()
    expect(t.batches).toHaveLength(1)
    t.gates[0]?.resolve()
    await first
    await tick()
    expect(t.batches.map((b) => b.length)).toEqual([1, 3])
    t.gates[1]?.resolve()
    await Promise.all(later)
  })

  it('rejects every reading of a failed batch with a typed error and reports the store unhealthy, then recovers', async () => {
    const t = gatedTarget()
    const health: StoreHealth[] = []
    const gc = new GroupCommitter({ target: t, maxDelayMs: 1, onHealthChange: (h) => health.push(h) })
    const failed = [1, 2].map((n) => gc.submit(weight(n, T0 + n)).catch((e: unknown) => e))
    await tick()
    t.gates[0]?.reject(Object.assign(new Error('SQLITE_FULL: database or disk is full'), { code: 'SQLITE_FULL' }))
    for (const e of await Promise.all(failed)) expect(e).toMatchObject({ name: 'StorageError', code: 'full' })
    expect(gc.health).toMatchObject({ healthy: false, lastError: { code: 'full' } })
    const ok = gc.submit(weight(3, T0 + 3))
    await tick()
    t.gates[1]?.resolve()
    await ok
    expect(health.map((h) => h.healthy)).toEqual([false, true])
  })

  it('flushes what is queued when closed and refuses readings afterwards', async () => {
    const { MemoryStore } = await import('../../gateway/store/memoryStore.ts')
    const store = new MemoryStore()
    const gc = new GroupCommitter({ target: store, maxDelayMs: 60_000 })
    const p = gc.submit(weight(1, T0))
    await gc.close()
    await p
    expect(await store.readings({})).toHaveLength(1)
    await expect(gc.submit(weight(2, T0))).rejects.toBeInstanceOf(StorageError)
  })
})

describe('group commit into SQLite', () => {
  const s = useTempStore()

  it('stores 5,000 readings from concurrent publishers in a handful of transactions', async () => {
    const gc = new GroupCommitter({ target: s.store, maxDelayMs: 10, maxRows: 1000 })
    await Promise.all(Array.from({ length: 5000 }, (_, i) => gc.submit(weight(i, T0 + i, i))))
    expect((await s.store.db.get<{ n: number }>('SELECT count(*) AS n FROM readings'))?.n).toBe(5000)
    expect(gc.stats.batches).toBeLessThanOrEqual(6)
    await gc.close()
  })
})
