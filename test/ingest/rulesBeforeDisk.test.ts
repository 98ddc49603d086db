/** The rules see a reading as it arrives; only its QoS 1 PUBACK waits for the disk. */
import { afterEach, expect, it } from 'vitest'
import type { Reading } from '../../gateway/contract/readings.ts'
import type { PersistWaiter } from '../../gateway/ingest/durableSink.ts'
import { eventually, startHarness, type Harness } from '../support/gatewayHarness.ts'

let h: Harness | undefined
afterEach(async () => {
  await h?.stop()
  h = undefined
})

it('hands a reading to the rules before its commit, and acknowledges it to the device only after', async () => {
  // A disk that takes as long as the test wants.
  const waiting: PersistWaiter[] = []
  h = await startHarness({ gateway: { sink: { persist: (_r, w) => void waiting.push(w) } } })
  const seen: Reading[] = []
  h.gw.bus.on('reading', {}, (r) => void seen.push(r))
  const fridge = await h.connect('cold-f1')
  let acked = false
  fridge.publish('shelfgate/s1/cold/F1/temp', JSON.stringify({ c: 7.5 }), { qos: 1 }, () => (acked = true))

  await eventually(() => seen.length === 1, 5000, 'the reading on the bus')
  expect(seen[0]).toMatchObject({ kind: 'cold.temp', unit: 'F1', c: 7.5 })
  await new Promise((r) => setTimeout(r, 100))
  expect(acked).toBe(false)

  waiting[0]?.committed()
  await eventually(() => acked, 5000, 'the PUBACK once the reading is on disk')
})
