import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { createTopicEmitter } from '../../gateway/broker/topicEmitter.ts'
import { nodeTestOn } from '../broker-persistence/nodeTestAdapter.ts'

// The broker's bus keeps who receives each topic until subscriptions change. It must still behave
// exactly as mqemitter: its own contract suite (abstractTest.js, written for node:test) runs unchanged.
const require = createRequire(import.meta.url)
const abstractTests = require('mqemitter/abstractTest.js') as (opts: { builder: (opts?: object) => unknown; test: ReturnType<typeof nodeTestOn> }) => void

describe('mqemitter contract suite on the cached topic emitter', () => {
  abstractTests({ builder: (opts?: object) => createTopicEmitter(opts), test: nodeTestOn(it) })
})

type Message = { topic: string; n: number }

describe('the cached topic emitter', () => {
  const emit = (mq: ReturnType<typeof createTopicEmitter>, m: Message) => new Promise<void>((resolve) => mq.emit(m, () => resolve()))
  const on = (mq: ReturnType<typeof createTopicEmitter>, topic: string, got: number[]) => {
    const listener = (m: Record<string, unknown>, done: () => void) => {
      got.push(m.n as number)
      done()
    }
    return new Promise<typeof listener>((resolve) => mq.on(topic, listener, () => resolve(listener)))
  }

  it('delivers to a subscription made after the topic was last published, and stops after it is removed', async () => {
    const mq = createTopicEmitter()
    const got: number[] = []
    await emit(mq, { topic: 'shelfgate/s1/shelf/A/1/weight', n: 1 }) // nobody listens yet: the empty answer is cached
    const listener = await on(mq, 'shelfgate/s1/shelf/+/+/weight', got)
    await emit(mq, { topic: 'shelfgate/s1/shelf/A/1/weight', n: 2 })
    await new Promise<void>((resolve) => mq.removeListener('shelfgate/s1/shelf/+/+/weight', listener, () => resolve()))
    await emit(mq, { topic: 'shelfgate/s1/shelf/A/1/weight', n: 3 })
    expect(got).toEqual([2])
  })
})
