import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StoredPacket } from '../../gateway/broker/persistence/types.ts'
import { drain, openStore, tempDir } from './storeHelpers.ts'

// Each test writes through one store, destroys it (as the gateway does at shutdown) and checks
// what a fresh store on the same file answers: the state a restarted gateway would see.

let dir: Awaited<ReturnType<typeof tempDir>>
let files = 0
const freshFile = () => join(dir.path, `restart-${files++}.db`)
beforeAll(async () => {
  dir = await tempDir('broker-restart')
})
afterAll(() => dir.cleanup())

const publish = (topic: string, payload: string, extra: Partial<StoredPacket> = {}): StoredPacket => ({
  cmd: 'publish',
  topic,
  payload: Buffer.from(payload),
  qos: 1,
  retain: false,
  brokerId: 'gateway',
  ...extra,
})

describe('broker store across a restart', () => {
  it('keeps retained messages, and a cleared one stays cleared', async () => {
    const file = freshFile()
    const before = await openStore(file)
    await before.storeRetained(publish('shelfgate/s1/state/cold/f1', '{"c":3.6}', { retain: true }))
    await before.storeRetained(publish('shelfgate/s1/alerts/a1', '{"open":true}', { retain: true }))
    await before.storeRetained(publish('shelfgate/s1/alerts/a1', '', { retain: true }))
    await before.destroy()

    const after = await openStore(file)
    const retained = await drain<StoredPacket>(after.createRetainedStream('shelfgate/#'))
    expect(retained.map((p) => p.topic)).toEqual(['shelfgate/s1/state/cold/f1'])
    expect(Buffer.isBuffer(retained[0]?.payload)).toBe(true)
    expect(String(retained[0]?.payload)).toBe('{"c":3.6}')
    await after.destroy()
  })

  it('keeps persistent-session subscriptions, minus unsubscribed topics and cleaned sessions', async () => {
    const file = freshFile()
    const before = await openStore(file)
    await before.addSubscriptions({ id: 'staff-1' }, [
      { topic: 'shelfgate/s1/alerts/#', qos: 1 },
      { topic: 'shelfgate/s1/state/#', qos: 0 },
      { topic: 'shelfgate/s1/events/#', qos: 1 },
    ])
    await before.removeSubscriptions({ id: 'staff-1' }, ['shelfgate/s1/events/#'])
    await before.addSubscriptions({ id: 'gone' }, [{ topic: 'shelfgate/#', qos: 1 }])
    await before.cleanSubscriptions({ id: 'gone' })
    await before.destroy()

    const after = await openStore(file)
    const subs = await after.subscriptionsByClient({ id: 'staff-1' })
    expect(subs.map(({ topic, qos }) => ({ topic, qos }))).toEqual([
      { topic: 'shelfgate/s1/alerts/#', qos: 1 },
      { topic: 'shelfgate/s1/state/#', qos: 0 },
    ])
    expect(await after.subscriptionsByClient({ id: 'gone' })).toEqual([])
    // Only QoS > 0 subscriptions route offline messages (aedes-persistence's rule), restored too.
    expect(await after.subscriptionsByTopic('shelfgate/s1/alerts/a1')).toMatchObject([{ clientId: 'staff-1', qos: 1 }])
    expect(await after.countOffline()).toEqual({ subsCount: 1, clientsCount: 1 })
    await after.destroy()
  })

  it('keeps queued QoS 1/2 messages in order, with assigned message ids, PUBRELs and acknowledgements', async () => {
    const file = freshFile()
    const before = await openStore(file)
    const client = { id: 'staff-1' }
    for (let i = 1; i <= 4; i++) {
      await before.outgoingEnqueueCombi([{ clientId: 'staff-1' }], publish(`t/${i}`, `m${i}`, { brokerCounter: i, qos: i === 2 ? 2 : 1 }))
    }
    await before.outgoingUpdate(client, publish('t/1', 'm1', { brokerCounter: 1, messageId: 11 }))
    await before.outgoingUpdate(client, publish('t/2', 'm2', { brokerCounter: 2, messageId: 12, qos: 2 }))
    await before.outgoingUpdate(client, { cmd: 'pubrel', messageId: 12 })
    await before.outgoingUpdate(client, publish('t/3', 'm3', { brokerCounter: 3, messageId: 13 }))
    expect((await before.outgoingClearMessageId(client, { messageId: 13 }))?.topic).toBe('t/3')
    await before.destroy()

    const after = await openStore(file)
    const queue = await drain<StoredPacket>(after.outgoingStream(client))
    expect(queue.map((p) => [p.cmd, p.topic, p.messageId])).toEqual([
      ['publish', 't/1', 11],
      ['pubrel', undefined, 12],
      ['publish', 't/4', undefined],
    ])
    expect(String(queue[2]?.payload)).toBe('m4')
    await after.destroy()
  })

  it('keeps inbound QoS 2 packets awaiting PUBREL, minus released ones and clean sessions', async () => {
    const file = freshFile()
    const before = await openStore(file)
    await before.incomingStorePacket({ id: 'shelf-7' }, publish('t', 'a', { qos: 2, messageId: 1 }))
    await before.incomingStorePacket({ id: 'shelf-7' }, publish('t', 'b', { qos: 2, messageId: 2 }))
    await before.incomingDelPacket({ id: 'shelf-7' }, { messageId: 1 })
    await before.incomingStorePacket({ id: 'shelf-8' }, publish('t', 'c', { qos: 2, messageId: 3 }))
    await before.cleanIncoming({ id: 'shelf-8' })
    await before.destroy()

    const after = await openStore(file)
    expect(String((await after.incomingGetPacket({ id: 'shelf-7' }, { messageId: 2 })).payload)).toBe('b')
    await expect(after.incomingGetPacket({ id: 'shelf-7' }, { messageId: 1 })).rejects.toThrow('no such packet')
    await expect(after.incomingGetPacket({ id: 'shelf-8' }, { messageId: 3 })).rejects.toThrow('no such packet')
    await after.destroy()
  })

  it.each([
    ['a new random broker id', 'gateway-run-2'],
    ['the same fixed broker id', 'gateway'],
  ])('hands a stored will to the sweep for dead brokers when restarted with %s', async (_label, nextId) => {
    const file = freshFile()
    const before = await openStore(file, { id: 'gateway', counter: 0 })
    await before.putWill({ id: 'shelf-7' }, { topic: 'shelfgate/s1/device/shelf-7/status', payload: Buffer.from('{"online":false}'), qos: 1, retain: true })
    await before.putWill({ id: 'shelf-8' }, { topic: 'x', payload: Buffer.from('x'), qos: 0, retain: false })
    await before.delWill({ id: 'shelf-8' })
    await before.destroy()

    const after = await openStore(file, { id: nextId, counter: 0 })
    // aedes sweeps streamWill(liveBrokers); the restarted broker itself is alive.
    const wills = await drain<StoredPacket>(after.streamWill({ [nextId]: Date.now() }))
    expect(wills.map((w) => [w.clientId, w.topic, String(w.payload)])).toEqual([
      ['shelf-7', 'shelfgate/s1/device/shelf-7/status', '{"online":false}'],
    ])
    await after.destroy()
  })

  it('continues the packet counter of a fixed broker id past restored queued packets', async () => {
    const file = freshFile()
    const before = await openStore(file)
    await before.outgoingEnqueue({ clientId: 'staff-1' }, publish('t', 'm', { brokerCounter: 500 }))
    await before.destroy()

    const broker = { id: 'gateway', counter: 0 }
    const after = await openStore(file, broker)
    // Otherwise packet 500 of this run would be mistaken for the restored one when its message id is set.
    expect(broker.counter).toBe(500)
    await after.destroy()
  })
})
