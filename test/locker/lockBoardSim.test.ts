import { describe, expect, it } from 'vitest'
import { ManualClock } from '../../gateway/core/clock.ts'
import { decodeReply, encodeRequest, checksumOk } from '../../devices/locker/lockBoard/frame.ts'
import { LockBoardSim } from '../../firmware-sim/locker/lockBoardSim.ts'

function setup(closeAfterMs: number | null = 5000) {
  const clock = new ManualClock()
  const sim = new LockBoardSim({ clock, boards: [1, 2], closeAfterMs })
  const ask = (req: Parameters<typeof encodeRequest>[0]) => {
    const raw = sim.handle(encodeRequest(req))
    return raw && decodeReply(raw)
  }
  return { clock, sim, ask }
}

describe('simulated lock board', () => {
  it('opens a door on unlock and closes it again after the configured time', () => {
    const { clock, ask } = setup()
    expect(ask({ type: 'unlock', board: 1, lock: 5 })).toEqual({ type: 'unlock', board: 1, lock: 5, unlocked: true })
    expect(ask({ type: 'query_door', board: 1, lock: 5 })).toMatchObject({ open: true })
    clock.advance(5000)
    expect(ask({ type: 'query_door', board: 1, lock: 5 })).toMatchObject({ open: false })
  })

  it('keeps a door that was left open open', () => {
    const { clock, sim, ask } = setup()
    sim.leaveOpen(1, 5)
    ask({ type: 'unlock', board: 1, lock: 5 })
    clock.advance(3_600_000)
    const all = ask({ type: 'query_all', board: 1 })
    expect(all?.type === 'doors' && all.open[4]).toBe(true)
  })

  it('answers nothing for a board that is not on the bus or was silenced', () => {
    const { sim, ask } = setup()
    expect(ask({ type: 'query_all', board: 9 })).toBeUndefined()
    sim.silence(2)
    expect(ask({ type: 'query_all', board: 2 })).toBeUndefined()
  })

  it('garbles the checksum of injected replies only', () => {
    const { sim } = setup()
    sim.corruptNextReplies(1)
    expect(checksumOk(sim.handle(encodeRequest({ type: 'query_all', board: 1 })) as Buffer)).toBe(false)
    expect(checksumOk(sim.handle(encodeRequest({ type: 'query_all', board: 1 })) as Buffer)).toBe(true)
  })

  it('refuses to release a jammed lock', () => {
    const { sim, ask } = setup()
    sim.jam(1, 3)
    expect(ask({ type: 'unlock', board: 1, lock: 3 })).toMatchObject({ unlocked: false })
    expect(ask({ type: 'query_door', board: 1, lock: 3 })).toMatchObject({ open: false })
  })
})
