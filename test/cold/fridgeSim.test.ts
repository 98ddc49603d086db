import { describe, expect, it } from 'vitest'
import { chilledFridge, FridgeSim } from '../../firmware-sim/cold/fridge.ts'

const start = Date.UTC(2026, 10, 2, 10)
const minute = 60_000

function run(sim: FridgeSim, minutes: number) {
  const out = []
  for (let t = start; t < start + minutes * minute; t += 10_000) out.push(sim.tick(t, 10_000))
  return out
}

describe('fridge simulator', () => {
  it('plays the same day again from the same seed', () => {
    const a = run(new FridgeSim(chilledFridge, 42, start), 600).map((s) => s.airC)
    const b = run(new FridgeSim(chilledFridge, 42, start), 600).map((s) => s.airC)
    expect(a).toEqual(b)
  })

  it('cycles the compressor inside the thermostat band', () => {
    const air = run(new FridgeSim({ ...chilledFridge, doorsPerHourDay: 0, defrostEveryH: 1e6 }, 1, start), 180).slice(360).map((s) => s.airC)
    expect(Math.min(...air)).toBeGreaterThan(1.5)
    expect(Math.max(...air)).toBeLessThan(4.1)
  })

  it('warms the air fast when the door is left open while the product lags behind', () => {
    const sim = new FridgeSim({ ...chilledFridge, doorsPerHourDay: 0 }, 1, start)
    sim.inject({ type: 'door-left-open', start: start + 30 * minute, end: start + 60 * minute })
    const s = run(sim, 60).at(-1)!
    expect(s.doorOpen).toBe(true)
    expect(s.airC).toBeGreaterThan(10)
    expect(s.productC).toBeLessThan(6)
    expect(sim.truth).toEqual([{ type: 'door-left-open', start: start + 30 * minute, end: start + 60 * minute }])
  })

  it('reports nothing during a sensor dropout and 85 °C during a DS18B20 glitch', () => {
    const sim = new FridgeSim(chilledFridge, 1, start)
    sim.inject({ type: 'sensor-dropout', start, end: start + minute })
    sim.inject({ type: 'sensor-glitch', start: start + minute, end: start + 2 * minute })
    expect(sim.readProbe(start)).toBeNull()
    expect(sim.readProbe(start + minute)).toBe(85)
  })
})
