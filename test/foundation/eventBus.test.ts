import { describe, expect, it } from 'vitest'
import { EventBus } from '../../gateway/core/eventBus.ts'

interface Events {
  ping: number
}

describe('internal event bus', () => {
  it('keeps delivering to other listeners when one throws, and reports the failure', () => {
    const errors: unknown[] = []
    const bus = new EventBus<Events>((err) => errors.push(err))
    const got: number[] = []
    bus.on('ping', {}, () => {
      throw new Error('broken rule')
    })
    bus.on('ping', {}, (n) => void got.push(n))
    expect(() => bus.emit('ping', 7)).not.toThrow()
    expect(got).toEqual([7])
    expect(errors).toHaveLength(1)
  })

  it('reports a rejected async listener without an unhandled rejection', async () => {
    const errors: unknown[] = []
    const bus = new EventBus<Events>((err) => errors.push(err))
    bus.on('ping', {}, async () => {
      throw new Error('async failure')
    })
    bus.emit('ping', 1)
    await new Promise((r) => setTimeout(r, 0))
    expect(errors).toHaveLength(1)
  })

  it("removes all of an owner's listeners when it stops", () => {
    const bus = new EventBus<Events>()
    const owner = {}
    const got: number[] = []
    bus.on('ping', owner, (n) => void got.push(n))
    bus.on('ping', owner, (n) => void got.push(n * 10))
    bus.removeOwner(owner)
    bus.emit('ping', 1)
    expect(got).toEqual([])
    expect(bus.listenerCount('ping')).toBe(0)
  })
})
