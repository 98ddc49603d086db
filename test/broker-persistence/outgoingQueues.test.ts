import { describe, expect, it } from 'vitest'
import { OutgoingQueues } from '../../gateway/broker/persistence/outgoingQueues.ts'

const publish = (brokerCounter: number) => ({ cmd: 'publish', topic: `t/${brokerCounter}`, qos: 2, brokerId: 'gateway', brokerCounter })

describe('outgoing queue of a persistent session', () => {
  it('keeps each PUBREL on its own message id when two QoS 2 deliveries are in flight', () => {
    const queues = new OutgoingQueues()
    queues.enqueue('phone', publish(1))
    queues.enqueue('phone', publish(2))
    queues.update('phone', { ...publish(1), messageId: 101 })
    queues.update('phone', { ...publish(2), messageId: 102 })
    queues.update('phone', { cmd: 'pubrel', messageId: 101 })
    queues.update('phone', { cmd: 'pubrel', messageId: 102 })
    expect(queues.list('phone')).toEqual([
      { cmd: 'pubrel', messageId: 101 },
      { cmd: 'pubrel', messageId: 102 },
    ])
  })

  it('refuses to update a packet it does not hold', () => {
    const queues = new OutgoingQueues()
    queues.enqueue('phone', publish(1))
    expect(() => queues.update('phone', { cmd: 'pubrel', messageId: 7 })).toThrow('no such packet')
  })

  it('clears by message id and forgets an emptied queue', () => {
    const queues = new OutgoingQueues()
    queues.enqueue('phone', publish(1))
    queues.update('phone', { ...publish(1), messageId: 5 })
    expect(queues.clear('phone', 6)).toBeUndefined()
    expect(queues.clear('phone', 5)?.packet.topic).toBe('t/1')
    expect(queues.list('phone')).toEqual([])
  })
})
