import { describe, expect, it } from 'vitest'
import { EARLIEST_TS, GatewayClock } from '../../gateway/core/gatewayClock.ts'
import type { Reading } from '../../gateway/contract/readings.ts'
import { eventually, startHarness } from '../support/gatewayHarness.ts'

describe('gateway clock on a Pi without a battery clock', () => {
  it('never stamps a time before 2020 while the system clock says 1970', () => {
    let mono = 0
    const clock = new GatewayClock({ synced: () => false, wall: () => 0, mono: () => mono })
    expect(clock.now()).toBe(EARLIEST_TS)
    mono += 1500
    expect(clock.now()).toBe(EARLIEST_TS + 1500)
  })

  it('counts on from the newest stored record rather than the stale boot time', () => {
    let mono = 0
    const lastSeen = Date.UTC(2026, 10, 20, 18, 0)
    const clock = new GatewayClock({ synced: () => false, wall: () => Date.UTC(2026, 10, 20, 9, 0), mono: () => mono })
    clock.raiseFloor(lastSeen)
    mono += 60_000
    expect(clock.now()).toBe(lastSeen + 60_000)
  })

  it('switches to system time once synchronised and reports the offset once', () => {
    let synced = false
    let mono = 0
    const real = Date.UTC(2026, 10, 23, 8, 0)
    let wall = 0
    const clock = new GatewayClock({ synced: () => synced, wall: () => wall, mono: () => mono })
    mono += 10_000
    expect(clock.poll()).toBeUndefined()
    synced = true
    wall = real
    const sync = clock.poll()
    expect(sync).toEqual({ from: EARLIEST_TS, to: EARLIEST_TS + 10_000, offsetMs: real - (EARLIEST_TS + 10_000) })
    expect(clock.now()).toBe(real)
    expect(clock.poll()).toBeUndefined()
  })
})

describe('records stamped before the clock was synchronised', () => {
  it('are moved to real time when NTP sync arrives, ignoring device clocks meanwhile', async () => {
    let synced = false
    let wall = 0 // 1970: the Pi booted without a network
    const h = await startHarness({ gateway: { clockSource: { synced: () => synced, wall: () => wall, pollMs: 50 } } })
    try {
      const live: Reading[] = []
      h.gw.bus.on('reading', live, (r) => void live.push(r))
      const f1 = await h.connect('cold-f1')
      // The sensor's own clock is wrong too (it says 2031); while unsynced the gateway's time is used.
      await f1.publishAsync('shelfgate/s1/cold/F1/temp', JSON.stringify({ c: 3.3, seq: 1, ts: Date.UTC(2031, 0, 1) }), { qos: 1 })
      expect(live[0]?.ts).toBeGreaterThanOrEqual(EARLIEST_TS)
      expect(live[0]?.ts).toBeLessThan(EARLIEST_TS + 60_000)

      wall = Date.now()
      synced = true
      const store = h.gw.storage?.store
      await eventually(async () => ((await store?.readings({})) ?? []).some((r) => r.seq === 1 && r.ts > Date.UTC(2026, 0, 1)), 5000, 'the reading to move to real time')
      const [moved] = (await store?.readings({})) ?? []
      expect(Math.abs((moved?.ts ?? 0) - Date.now())).toBeLessThan(60_000)
    } finally {
      await h.stop()
    }
  })
})
