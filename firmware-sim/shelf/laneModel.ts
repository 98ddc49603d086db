/**
 * A simulated weight-shelf lane: product on a load cell, customers taking and returning items with
 * their hand resting on the shelf meanwhile, staff restocking and removing foreign items, and an
 * HX711 underneath. Deterministic for a seed. Drive it with `tick(now)` at whatever rate a transport
 * wants (MQTT, serial, Modbus); `truth` logs what really happened, for measuring accuracy.
 */
import { Hx711Model } from './hx711.ts'
import type { Hx711Options } from './hx711.ts'
import { Prng } from './prng.ts'
import { isOpen, nextArrival, nextOpening } from './shoppers.ts'

export interface SimLaneConfig {
  shelf: string
  lane: string
  unitWeight: number
  capacity: number
  restockAt: number
  initialCount?: number
  /** Grams of the empty lane fixture. */
  tareG?: number
  sensor: Hx711Options
  /** Customer arrivals per ordinary busy hour. */
  arrivalsPerHour: number
  /** Foreign items left on this lane per day. */
  misplacedPerDay?: number
  utcOffsetMin?: number
  /** Real items differ from the label: σ of one item's weight, as a share of unitWeight. */
  itemSpread?: number
  /** Minutes from low stock to restock (staff reaction), [min, max]. */
  restockDelayMin?: [number, number]
  /** Shortest quiet time between two interactions (ms); see docs/shelf.md on overlapping hands. */
  minGapMs?: number
}

export type TruthEvent =
  | { type: 'pick' | 'put' | 'restock'; qty: number; count: number; start: number; at: number }
  | { type: 'touch'; start: number; at: number }
  | { type: 'foreign_on'; grams: number; detectable: boolean; start: number; at: number }
  | { type: 'foreign_off'; grams: number; start: number; at: number }

type Kind = 'pick' | 'put' | 'restock' | 'touch' | 'foreign_on' | 'foreign_off'

interface Interaction {
  kind: Kind
  start: number
  end: number
  /** Items added (+) or removed (−); weight steps at changeAt (restock: spread over the visit). */
  delta: number
  /** Weights of the items added, or of the items taken (popped at the end). */
  itemsG: number[]
  changeAt: number
  foreignG: number
  handBaseG: number
  handSigmaG: number
}

interface Queued {
  kind: 'put' | 'restock' | 'foreign_off'
  at: number
  qty: number
}

export interface SimSample {
  raw: number
  /** The same sample in grams, as a board that calibrates itself would send it. */
  g: number
}

const MIN = 60_000

export class SimLane {
  readonly cfg: SimLaneConfig
  readonly truth: TruthEvent[] = []
  readonly sensor: Hx711Model
  readonly #rng: Prng
  /** Each item's own weight: the lane's total is their sum, not count × label weight. */
  readonly #items: number[] = []
  #itemsG = 0
  #foreignG = 0
  #active: Interaction | undefined
  #queue: Queued[] = []
  #nextArrival: number | undefined
  #lastEnd = -Infinity
  #restockPending = false

  constructor(cfg: SimLaneConfig, seed: number) {
    this.cfg = cfg
    this.#rng = new Prng(seed)
    this.sensor = new Hx711Model(this.#rng.fork(1), cfg.sensor)
    for (let i = 0; i < (cfg.initialCount ?? cfg.capacity); i++) this.#addItem(this.#newItem())
  }

  get count(): number {
    return this.#items.length
  }

  get foreignG(): number {
    return this.#foreignG
  }

  /** True while a hand is on the shelf or the next interaction starts within `marginMs`. */
  busy(now: number, marginMs = 0): boolean {
    return this.#active !== undefined || this.nextActivityAt(now) - now <= marginMs
  }

  /** When the next interaction will start (it may still move later if one is in progress). */
  nextActivityAt(now: number): number {
    if (this.#active) return now
    this.#nextArrival ??= nextArrival(this.#rng, now, this.cfg.arrivalsPerHour, this.#tz)
    let t = this.#nextArrival
    for (const q of this.#queue) t = Math.min(t, q.at)
    return Math.max(t, this.#lastEnd + this.#minGap)
  }

  /** The true weight (g) at `now`, before the sensor: product, foreign items, and any hand. */
  trueWeightAt(now: number): number {
    this.#advance(now)
    const a = this.#active
    let g = (this.cfg.tareG ?? 0) + this.#itemsG + this.#foreignG
    if (a && now >= a.start) {
      g += a.handBaseG + a.handSigmaG * this.#rng.normal()
      g += this.#partialChange(a, now)
    }
    return g
  }

  tick(now: number): SimSample {
    const g = this.trueWeightAt(now)
    const raw = this.sensor.sample(now, g)
    const { zeroCounts, countsPerGram } = this.cfg.sensor
    return { raw, g: (raw - zeroCounts) / countsPerGram }
  }

  #newItem(): number {
    return this.cfg.unitWeight * (1 + (this.cfg.itemSpread ?? 0.015) * this.#rng.normal())
  }

  #addItem(g: number): void {
    this.#items.push(g)
    this.#itemsG += g
  }

  get #tz(): number {
    return this.cfg.utcOffsetMin ?? 0
  }

  get #minGap(): number {
    return this.cfg.minGapMs ?? 6_000
  }

  #advance(now: number): void {
    for (;;) {
      if (this.#active) {
        if (now < this.#active.end) return
        this.#finish(this.#active)
        this.#active = undefined
        continue
      }
      const start = this.nextActivityAt(now)
      if (now < start) return
      this.#active = this.#begin(start)
    }
  }

  /** Weight already moved by items during the visit, before the count is updated at the end. */
  #partialChange(a: Interaction, now: number): number {
    if (a.kind === 'restock') {
      // Staff add items one by one through the visit, hand on the shelf all along.
      const done = Math.min(a.delta, Math.floor((a.delta * (now - a.start)) / (a.end - a.start)))
      let g = 0
      for (let i = 0; i < done; i++) g += a.itemsG[i] as number
      return g
    }
    if (now < a.changeAt) return 0
    const itemsG = a.itemsG.reduce((s, x) => s + x, 0)
    return (a.delta < 0 ? -itemsG : itemsG) + a.foreignG
  }

  #begin(start: number): Interaction {
    const rng = this.#rng
    const queued = this.#queue.filter((q) => q.at <= start).sort((a, b) => a.at - b.at)[0]
    let kind: Kind
    let delta = 0
    let foreignG = 0
    if (queued) {
      this.#queue.splice(this.#queue.indexOf(queued), 1)
      kind = queued.kind
      if (kind === 'restock') delta = this.cfg.capacity - this.count
      if (kind === 'put') delta = Math.min(queued.qty, this.cfg.capacity - this.count)
      if (kind === 'foreign_off') foreignG = -this.#foreignG
    } else {
      this.#nextArrival = undefined
      kind = this.#customerChoice()
      if (kind === 'pick') {
        const want = rng.chance(0.7) ? 1 : rng.chance(0.67) ? 2 : 3
        delta = -Math.min(want, this.count)
        if (rng.chance(0.12)) this.#queue.push({ kind: 'put', at: start + rng.uniform(8_000, 90_000), qty: rng.int(1, -delta) })
      }
      if (kind === 'foreign_on') {
        foreignG = Math.round(rng.uniform(25, 900))
        this.#queue.push({ kind: 'foreign_off', at: start + rng.uniform(2, 40) * MIN, qty: 0 })
      }
    }
    if (kind === 'put' && delta === 0) kind = 'touch'
    if (kind === 'restock' && delta <= 0) kind = 'touch'
    const itemsG: number[] = []
    if (delta > 0) for (let i = 0; i < delta; i++) itemsG.push(this.#newItem())
    // Customers take from the front: the last items placed.
    for (let i = 0; i < -delta; i++) itemsG.push(this.#items[this.#items.length - 1 - i] as number)
    const staff = kind === 'restock'
    const dur = staff ? rng.uniform(8_000, 30_000) : rng.uniform(500, 2_000)
    return {
      kind,
      start,
      end: start + dur,
      delta,
      itemsG,
      changeAt: start + dur * rng.uniform(0.3, 0.7),
      foreignG,
      // A resting hand pushes down (most often) or half-lifts the items; its pressure wavers.
      handBaseG: rng.uniform(-60, 300),
      handSigmaG: rng.uniform(8, 30),
    }
  }

  #customerChoice(): Kind {
    const rng = this.#rng
    const perDay = this.cfg.arrivalsPerHour * 13
    if (this.#foreignG === 0 && rng.chance((this.cfg.misplacedPerDay ?? 0) / perDay)) return 'foreign_on'
    if (this.count === 0) return 'touch'
    return rng.chance(0.85) ? 'pick' : 'touch'
  }

  #finish(a: Interaction): void {
    this.#lastEnd = a.end
    const base = { start: a.start, at: a.end }
    switch (a.kind) {
      case 'pick':
      case 'put':
      case 'restock':
        if (a.delta > 0) for (const g of a.itemsG) this.#addItem(g)
        else for (let i = 0; i < -a.delta; i++) this.#itemsG -= this.#items.pop() as number
        this.truth.push({ type: a.kind, qty: Math.abs(a.delta), count: this.count, ...base })
        if (a.kind === 'restock') this.#restockPending = false
        break
      case 'touch':
        this.truth.push({ type: 'touch', ...base })
        break
      case 'foreign_on': {
        this.#foreignG += a.foreignG
        const units = a.foreignG / this.cfg.unitWeight
        // Weight alone can only see an item that is not close to a whole number of products.
        const detectable = Math.abs(units - Math.round(units)) >= 0.4
        this.truth.push({ type: 'foreign_on', grams: a.foreignG, detectable, ...base })
        break
      }
      case 'foreign_off':
        this.#foreignG += a.foreignG
        this.truth.push({ type: 'foreign_off', grams: -a.foreignG, ...base })
        break
    }
    if (this.count <= this.cfg.restockAt && !this.#restockPending) {
      this.#restockPending = true
      const [lo, hi] = this.cfg.restockDelayMin ?? [10, 90]
      const at = nextOpening(a.end + this.#rng.uniform(lo, hi) * MIN, this.#tz)
      this.#queue.push({ kind: 'restock', at: isOpen(at, this.#tz) ? at : a.end, qty: 0 })
    }
  }
}
