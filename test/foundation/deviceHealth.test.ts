import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ConditionChange } from '../../gateway/contract/conditions.ts'
import { deviceHealthService } from '../../gateway/devicesHealth/service.ts'
import { eventually, startHarness, type Harness } from '../support/gatewayHarness.ts'

let h: Harness
let conditions: ConditionChange[]
beforeEach(async () => {
  h = await startHarness({ gateway: { services: [deviceHealthService] } })
  conditions = []
  h.gw.bus.on('condition', conditions, (c) => void conditions.push(c))
})
afterEach(async () => {
  await h.stop()
})

describe('device health', () => {
  it('opens an offline alert when a device drops off (its last will) and clears it when it is back', async () => {
    const status = 'shelfgate/s1/device/cold-f1/status'
    const f1 = await h.connect('cold-f1', { will: { topic: status, payload: Buffer.from('{"online":false}'), qos: 1, retain: true } })
    ;(f1 as unknown as { stream: { destroy(): void } }).stream.destroy()
    await eventually(() => conditions.some((c) => c.rule === 'device.offline' && c.active), 5000, 'the offline alert')
    const back = await h.connect('cold-f1', { clientId: 'cold-f1-2' })
    await back.publishAsync(status, '{"online":true}', { qos: 1, retain: true })
    await eventually(() => conditions.at(-1)?.rule === 'device.offline' && conditions.at(-1)?.active === false, 5000, 'the alert to clear')
    expect(conditions.filter((c) => c.rule === 'device.offline').map((c) => c.active)).toEqual([true, false])
  })

  it('raises a low-battery alert at 20 % once, and clears it only above 30 %', async () => {
    const k1 = await h.connect('locker-k1')
    for (const battery of [0.5, 0.19, 0.18, 0.25, 0.31]) await k1.publishAsync('shelfgate/s1/device/locker-k1/status', JSON.stringify({ online: true, battery }), { qos: 1 })
    expect(conditions.filter((c) => c.rule === 'device.battery_low').map((c) => [c.active, c.value])).toEqual([
      [true, 0.19],
      [false, 0.31],
    ])
  })
})
