import { execFileSync } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sqlite3 from 'sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConditionChange } from '../../gateway/contract/conditions.ts'
import type { Reading } from '../../gateway/contract/readings.ts'
import { eventually, startHarness, type Harness } from '../support/gatewayHarness.ts'

// A real, small file system: a 6 MiB tmpfs mounted for this test (the tests run as root in CI).
const mnt = mkdtempSync(join(tmpdir(), 'shelfgate-small-fs-'))
let mounted = false
beforeAll(() => {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=6m', 'tmpfs', mnt])
    mounted = true
  } catch (err) {
    throw new Error(`this test mounts a 6 MiB tmpfs to fill it up and needs root (or CAP_SYS_ADMIN): ${(err as Error).message}`)
  }
})
afterAll(() => {
  if (mounted) execFileSync('umount', ['-l', mnt])
  rmSync(mnt, { recursive: true, force: true })
})

/** Writes zeros until the file system says ENOSPC. */
function fillUp(file: string): void {
  const fd = openSync(file, 'w')
  const chunk = Buffer.alloc(64 * 1024)
  try {
    for (;;) writeSync(fd, chunk)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err
  } finally {
    closeSync(fd)
  }
}

function countReadings(file: string, device: string, seq: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (err) => {
      if (err) return reject(err)
      db.get('SELECT COUNT(*) AS n FROM readings WHERE device = ? AND seq = ?', [device, seq], (e, row: { n: number }) =>
        db.close(() => (e ? reject(e) : resolve(row.n))),
      )
    })
  })
}

describe('storage full', () => {
  let h: Harness
  beforeAll(async () => {
    // The test publishes as fast as it can until the disk is full: lift the per-client rate limit.
    h = await startHarness({ dataDir: join(mnt, 'data'), broker: '{ authFailuresPerMin: 50, publishRatePerSec: 10000, publishBurst: 10000 }' })
  })
  afterAll(async () => {
    await h?.stop()
  })

  it('raises a critical storage alert, withholds PUBACKs without dropping the device, keeps rules fed, and recovers when space returns', async () => {
    const conditions: ConditionChange[] = []
    const live: Reading[] = []
    h.gw.bus.on('condition', conditions, (c) => void conditions.push(c))
    h.gw.bus.on('reading', live, (r) => void live.push(r))
    const f1 = await h.connect('cold-f1')
    const now = Date.now()
    await f1.publishAsync('shelfgate/s1/cold/F1/temp', JSON.stringify({ c: 3.0, seq: 0, ts: now }), { qos: 1 })

    const filler = join(mnt, 'filler')
    fillUp(filler)

    // Keep publishing (each reading different enough to be stored) until storage reports the failure.
    let seq = 1
    let acked = 0
    const pending = new Map<number, Promise<void>>()
    while (!conditions.some((c) => c.rule === 'system.storage_failure' && c.active) && seq < 5000) {
      const s = seq++
      pending.set(s, f1.publishAsync('shelfgate/s1/cold/F1/temp', JSON.stringify({ c: 3 + (s % 2) * 1.5, seq: s, ts: now + s }), { qos: 1 }).then(() => void acked++))
      await new Promise((r) => setTimeout(r, 5))
    }
    const failure = conditions.find((c) => c.rule === 'system.storage_failure' && c.active)
    expect(failure).toMatchObject({ severity: 'critical', subject: 'system/storage' })
    expect(String(failure?.message.params.error)).toMatch(/^full: /)
    expect((await fetch(`http://127.0.0.1:${h.gw.ports.http}/healthz`)).status).toBe(503)
    expect(await h.metric('shelfgate_storage_healthy')).toBe(0)

    // The reading that hit the full disk reached the rules, but its PUBACK is withheld.
    const last = seq - 1
    await eventually(() => live.some((r) => r.seq === last), 3000, 'the last reading to reach the rules')
    const ackedBefore = acked
    await new Promise((r) => setTimeout(r, 300))
    expect(acked).toBe(ackedBefore)
    expect(await h.metric('shelfgate_storage_held_readings')).toBeGreaterThan(0)
    expect(f1.connected).toBe(true)

    unlinkSync(filler)
    await Promise.all(pending.values()) // every withheld reading is acknowledged once space returns
    await eventually(() => conditions.some((c) => c.rule === 'system.storage_failure' && !c.active), 15_000, 'the storage alert to clear')
    expect((await fetch(`http://127.0.0.1:${h.gw.ports.http}/healthz`)).status).toBe(200)
    for (const s of [0, last]) expect(await countReadings(join(mnt, 'data', 'shelfgate.db'), 'cold-f1', s)).toBe(1)
  }, 60_000)

  it('keeps feeding the rules with a device\'s later readings while its first one waits for storage, then acknowledges all in order', async () => {
    const conditions: ConditionChange[] = []
    const live: Reading[] = []
    h.gw.bus.on('condition', conditions, (c) => void conditions.push(c))
    h.gw.bus.on('reading', live, (r) => void live.push(r))
    // The same probe on a second connection: a fresh connection with nothing held from the first test.
    const f2 = await h.connect('cold-f1', { clientId: 'cold-f1-second' })
    const now = Date.now()
    const filler = join(mnt, 'filler')
    fillUp(filler)

    const acked: number[] = []
    const pending: Promise<void>[] = []
    const publish = (seq: number) =>
      pending.push(f2.publishAsync('shelfgate/s1/cold/F1/temp', JSON.stringify({ c: seq % 2 ? 2 : 6, seq, ts: now + seq * 1000 }), { qos: 1 }).then(() => void acked.push(seq)))
    const reachesRules = (seq: number) => eventually(() => live.some((r) => r.seq === seq), 3000, `reading ${seq} to reach the rules while the disk is full`)
    // One at a time, as a probe reports, until the disk turns out full (the WAL may still have room).
    let seq = 1000
    while (!conditions.some((c) => c.rule === 'system.storage_failure' && c.active) && seq < 6000) {
      publish(++seq)
      await reachesRules(seq)
    }
    expect(conditions.some((c) => c.rule === 'system.storage_failure' && c.active)).toBe(true)
    const firstHeld = seq // the reading whose commit found the disk full
    // Two back to back (a probe flushing its buffer), then two more one at a time.
    publish(++seq)
    publish(++seq)
    await reachesRules(seq)
    for (let i = 0; i < 2; i++) {
      publish(++seq)
      await reachesRules(seq)
    }
    await new Promise((r) => setTimeout(r, 200))
    expect(Math.max(0, ...acked)).toBeLessThan(firstHeld)
    expect(f2.connected).toBe(true)

    unlinkSync(filler)
    await Promise.all(pending)
    expect(acked).toEqual(Array.from({ length: seq - 1000 }, (_, i) => 1001 + i))
    for (let s = firstHeld; s <= seq; s++) expect(await countReadings(join(mnt, 'data', 'shelfgate.db'), 'cold-f1', s)).toBe(1)
  }, 60_000)
})
