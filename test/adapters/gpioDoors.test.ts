import { afterEach, describe, expect, it } from 'vitest'
import type { Reading } from '../../gateway/contract/readings.ts'
import { runAdapters, type RunningAdapters } from '../../devices/adapters/run.ts'
import { openGpioInput, type InputPin, type Level } from '../../devices/gpio/pins.ts'
import { DEVICES, eventually, startHarness, type Harness } from '../support/gatewayHarness.ts'

/**
 * A reed switch on a GPIO pin, simulated: this machine has no GPIO. Everything from the pin's level
 * onwards is real: the adapter, its MQTT login as `gpio`, the gateway's ACL and ingest.
 */
class SimulatedPin implements InputPin {
  level: Level
  #watchers: ((err: Error | null | undefined, value: Level) => void)[] = []
  constructor(level: Level) {
    this.level = level
  }
  async read(): Promise<Level> {
    return this.level
  }
  watch(cb: (err: Error | null | undefined, value: Level) => void): void {
    this.#watchers.push(cb)
  }
  unwatchAll(): void {
    this.#watchers = []
  }
  unexport(): void {}
  set(level: Level): void {
    this.level = level
    for (const w of this.#watchers) w(null, level)
  }
}

let h: Harness | undefined
let running: RunningAdapters | undefined
afterEach(async () => {
  await running?.stop()
  await h?.stop()
  running = undefined
  h = undefined
})

describe('door contacts on the Pi GPIO', () => {
  it("reports the dairy fridge's door opening and closing as cold.door readings of its unit", async () => {
    h = await startHarness({ devices: [...DEVICES, 'gpio'], extraYaml: 'gpio:\n  - { pin: 17, role: door, coldUnit: F1, debounceMs: 50 }\n' })
    const readings: Reading[] = []
    h.gw.bus.on('reading', readings, (r) => void readings.push(r))
    const pin = new SimulatedPin(0) // magnet at the switch: closed
    running = await runAdapters({ store: h.config, adapters: [], url: h.url, credentials: { gpio: h.passwords.gpio as string }, gpioPins: async () => pin })
    await eventually(() => readings.some((r) => r.kind === 'cold.door'), 5000, 'the initial door state')
    pin.set(1)
    await eventually(() => readings.filter((r) => r.kind === 'cold.door').length === 2, 5000, 'the door opening')
    pin.set(0)
    await eventually(() => readings.filter((r) => r.kind === 'cold.door').length === 3, 5000, 'the door closing')
    expect(readings.filter((r) => r.kind === 'cold.door').map((r) => (r as { open: boolean }).open)).toEqual([false, true, false])
    expect(readings.every((r) => r.device === 'gpio')).toBe(true)
  })

  it('says clearly that this machine has no GPIO instead of failing obscurely', async () => {
    await expect(openGpioInput(17, { debounceMs: 50 })).rejects.toThrow(/GPIO 17: (this machine has no GPIO|the onoff module does not load)/)
  })
})
