import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { openStore, tempDir } from './storeHelpers.ts'

let dir: Awaited<ReturnType<typeof tempDir>>
beforeAll(async () => {
  dir = await tempDir('broker-subscribers')
})
afterAll(() => dir.cleanup())

it('answers whom to queue a publish for with the subscriptions as they are now, not as they were at the last publish', async () => {
  const store = await openStore(join(dir.path, 'subs.db'))
  const topic = 'shelfgate/s1/cold/F1/temp'
  const clients = async () => ((await store.subscriptionsByTopic(topic)) as { clientId: string }[]).map((s) => s.clientId)
  expect(await clients()).toEqual([])

  await store.addSubscriptions({ id: 'node-red' }, [{ topic: 'shelfgate/s1/cold/#', qos: 1 }])
  expect(await clients()).toEqual(['node-red'])
  expect(await clients()).toEqual(['node-red'])

  await store.removeSubscriptions({ id: 'node-red' }, ['shelfgate/s1/cold/#'])
  expect(await clients()).toEqual([])

  await store.addSubscriptions({ id: 'bridge' }, [{ topic: 'shelfgate/s1/+/F1/temp', qos: 1 }])
  expect(await clients()).toEqual(['bridge'])
  await store.cleanSubscriptions({ id: 'bridge' })
  expect(await clients()).toEqual([])
  await store.destroy()
})
