/**
 * The broker's message bus (mqemitter, as aedes builds it by default) with who-receives-what kept
 * per topic. mqemitter matches every publish's topic against all subscriptions (qlobber: split the
 * topic into words, walk the trie, build a new array). Devices publish the same few topics over and
 * over, and subscriptions change only when somebody subscribes or leaves, so the answer for a topic
 * is kept until the subscriptions change. Measured: ~2.5 % of the broker thread in the burst bench.
 *
 * test/foundation/topicEmitter.test.ts runs mqemitter's own contract suite against it.
 */
import mqemitter from 'mqemitter'

type Listener = unknown

interface Matcher {
  add(topic: string, listener: Listener): void
  remove(topic: string, listener?: Listener): void
  match(topic: string): Listener[]
}

/** Distinct topics remembered at most; past it the cache starts over (a store has a few thousand). */
const MAX_TOPICS = 10_000

export class CachedMatcher implements Matcher {
  readonly #inner: Matcher
  #byTopic = new Map<string, Listener[]>()

  constructor(inner: Matcher) {
    this.#inner = inner
  }

  add(topic: string, listener: Listener): void {
    this.#inner.add(topic, listener)
    this.#byTopic = new Map()
  }

  remove(topic: string, listener?: Listener): void {
    this.#inner.remove(topic, listener)
    this.#byTopic = new Map()
  }

  /** The same array for a topic until the subscriptions change: mqemitter only reads it. */
  match(topic: string): Listener[] {
    let listeners = this.#byTopic.get(topic)
    if (listeners === undefined) {
      listeners = this.#inner.match(topic)
      if (this.#byTopic.size >= MAX_TOPICS) this.#byTopic = new Map()
      this.#byTopic.set(topic, listeners)
    }
    return listeners
  }
}

/** An mqemitter as aedes would make it, with the cached matcher (pass it as aedes' `mq`). */
export function createTopicEmitter(options: Parameters<typeof mqemitter>[0] = {}): mqemitter.MQEmitter {
  // aedes' own defaults: its concurrency, and empty levels match as MQTT 3.1.1 §4.7.1-3 requires.
  const mq = mqemitter({ concurrency: 100, matchEmptyLevels: true, ...options })
  const internals = mq as unknown as { _matcher: Matcher }
  internals._matcher = new CachedMatcher(internals._matcher)
  return mq
}
