/**
 * A seeded, deterministic cold unit: two thermal nodes (air, product) around a hysteresis thermostat,
 * random door openings warming the air (the product lags through its thermal mass), scheduled defrost,
 * and injectable failures with a ground-truth log. Step it with `tick(now, dtMs)`; read the probe with
 * `readProbe(now)`. No I/O: a transport (MQTT, Modbus) is added around it.
 */
import { activeAt, type InjectedFailure } from './failures.ts'
import { seededRng, type Rng } from './random.ts'

export interface FridgeParams {
  /** Thermostat: compressor on above onC, off below offC. */
  onC: number
  offC: number
  /** Cooling of the air with the compressor on, °C/min. */
  coolCPerMin: number
  /** Heat leak to the room and air↔product coupling, 1/min. */
  leakPerMin: number
  airProductPerMin: number
  productAirPerMin: number
  /** Air exchange with the room while the door is open, 1/min. */
  doorPerMin: number
  /** Door openings per hour during store hours (08–22) and outside them, and their length in seconds. */
  doorsPerHourDay: number
  doorsPerHourNight: number
  doorSeconds: [number, number]
  defrostEveryH: number
  defrostMin: number
  defrostHeatCPerMin: number
  ambientC: number
  /** Probe noise (σ, °C) and resolution. */
  noiseC: number
  resolutionC: number
}

export const chilledFridge: FridgeParams = {
  onC: 3.8, offC: 1.8, coolCPerMin: 1.2, leakPerMin: 0.01, airProductPerMin: 0.05, productAirPerMin: 0.004,
  doorPerMin: 0.15, doorsPerHourDay: 8, doorsPerHourNight: 0.5, doorSeconds: [5, 45],
  defrostEveryH: 6, defrostMin: 20, defrostHeatCPerMin: 0.25, ambientC: 23, noiseC: 0.05, resolutionC: 0.1,
}

export const freezer: FridgeParams = {
  ...chilledFridge, onC: -19.8, offC: -21.8, coolCPerMin: 2.4, defrostHeatCPerMin: 0.3, doorsPerHourDay: 4,
}

export const frozenDisplay: FridgeParams = { ...freezer, onC: -17, offC: -19, doorsPerHourDay: 10 }

export interface FridgeState {
  airC: number
  productC: number
  doorOpen: boolean
  defrostActive: boolean
  compressorOn: boolean
}

const minute = 60_000
const hour = 60 * minute

export class FridgeSim {
  readonly params: FridgeParams
  readonly #rng: Rng
  readonly #failures: InjectedFailure[] = []
  #air: number
  #product: number
  #compressor = false
  #doorUntil = -Infinity
  #nextDefrost: number
  #defrostUntil = -Infinity
  #lastProbe: number | null = null

  constructor(params: FridgeParams, seed: number, start: number) {
    this.params = params
    this.#rng = seededRng(seed)
    this.#air = (params.onC + params.offC) / 2
    this.#product = this.#air
    // Stagger defrost schedules between units.
    this.#nextDefrost = start + this.#rng.between(0.2, 1) * params.defrostEveryH * hour
  }

  inject(f: InjectedFailure): void {
    this.#failures.push(f)
  }

  /** Ground truth: every failure injected, in injection order. */
  get truth(): readonly InjectedFailure[] {
    return this.#failures
  }

  tick(now: number, dtMs: number): FridgeState {
    const p = this.params
    const dt = dtMs / minute
    const power = activeAt(this.#failures, 'power-cut', now) === undefined
    const hourOfDay = new Date(now).getUTCHours()
    const rate = hourOfDay >= 8 && hourOfDay < 22 ? p.doorsPerHourDay : p.doorsPerHourNight
    if (now >= this.#doorUntil && this.#rng.next() < (rate * dtMs) / hour) {
      this.#doorUntil = now + this.#rng.between(p.doorSeconds[0], p.doorSeconds[1]) * 1000
    }
    const doorOpen = now < this.#doorUntil || activeAt(this.#failures, 'door-left-open', now) !== undefined
    if (now >= this.#nextDefrost) {
      this.#defrostUntil = now + p.defrostMin * minute
      this.#nextDefrost += p.defrostEveryH * hour
    }
    const defrostActive = now < this.#defrostUntil
    if (this.#air > p.onC) this.#compressor = true
    if (this.#air < p.offC) this.#compressor = false
    const compressorOn = power && this.#compressor && !defrostActive && activeAt(this.#failures, 'compressor-failure', now) === undefined
    const degraded = activeAt(this.#failures, 'compressor-degraded', now)
    // Refrigerant leak: capacity falls linearly to zero over the first 60 % of the failure, then stays dead.
    const capacity = degraded === undefined ? 1 : Math.max(0, 1 - (now - degraded.start) / (0.6 * (degraded.end - degraded.start)))
    let dAir = p.leakPerMin * (p.ambientC - this.#air) + p.airProductPerMin * (this.#product - this.#air)
    if (compressorOn) dAir -= p.coolCPerMin * capacity
    if (doorOpen) dAir += p.doorPerMin * (p.ambientC - this.#air)
    if (defrostActive && power) dAir += p.defrostHeatCPerMin
    const dProduct = p.productAirPerMin * (this.#air - this.#product)
    this.#air += dAir * dt
    this.#product += dProduct * dt
    return { airC: this.#air, productC: this.#product, doorOpen, defrostActive: defrostActive && power, compressorOn }
  }

  /** What the air probe reports at `now` (null: nothing arrives). */
  readProbe(now: number): number | null {
    const p = this.params
    if (activeAt(this.#failures, 'sensor-dropout', now) !== undefined) return null
    if (activeAt(this.#failures, 'sensor-glitch', now) !== undefined) return 85 // DS18B20 power-on reset value
    if (activeAt(this.#failures, 'sensor-stuck', now) !== undefined && this.#lastProbe !== null) return this.#lastProbe
    const drift = activeAt(this.#failures, 'sensor-drift', now)
    const offset = drift === undefined ? 0 : ((now - drift.start) / hour) * (drift.driftCPerH ?? 1)
    const raw = this.#air + offset + this.#rng.gauss() * p.noiseC
    const value = Math.round(raw / p.resolutionC) * p.resolutionC
    this.#lastProbe = Math.round(value * 100) / 100
    return this.#lastProbe
  }
}
