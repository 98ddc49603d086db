/**
 * A reference store's shelves for simulation: N lanes of everyday products, each with its own load
 * cell (5 kg, some mounted reversed), fixture weight and traffic. The lane config the gateway gets
 * carries the installer's calibration, which is close to, not exactly, the sensor's truth.
 */
import type { LaneConfig } from '../../devices/shelf/laneConfig.ts'
import { SimLane } from './laneModel.ts'
import { Prng } from './prng.ts'

export interface SimStoreOptions {
  lanes?: number
  seed?: number
  utcOffsetMin?: number
  misplacedPerDay?: number
  /** Lanes per shelf (the shelf id changes every N lanes). */
  lanesPerShelf?: number
}

export interface SimStoreLane {
  shelf: string
  config: LaneConfig
  sim: SimLane
}

const products: readonly { name: string; unitWeight: number }[] = [
  { name: 'chewing gum', unitWeight: 18 },
  { name: 'chocolate bar', unitWeight: 45 },
  { name: 'cup noodles', unitWeight: 95 },
  { name: 'yogurt 150 g', unitWeight: 160 },
  { name: 'milk 250 ml', unitWeight: 262 },
  { name: 'cola 330 ml', unitWeight: 355 },
  { name: 'water 550 ml', unitWeight: 570 },
  { name: 'eggs ×10', unitWeight: 610 },
  { name: 'rice 1 kg', unitWeight: 1020 },
]

export function makeSimStore(opts: SimStoreOptions = {}): SimStoreLane[] {
  const rng = new Prng(opts.seed ?? 1)
  const perShelf = opts.lanesPerShelf ?? 6
  const out: SimStoreLane[] = []
  for (let i = 0; i < (opts.lanes ?? 120); i++) {
    const p = rng.pick(products)
    const capacity = Math.max(4, Math.min(40, Math.floor(4500 / p.unitWeight)))
    const restockAt = Math.max(1, Math.round(capacity * 0.25))
    const countsPerGram = (rng.chance(0.15) ? -1 : 1) * rng.uniform(380, 460)
    const zeroCounts = Math.round(rng.uniform(-200_000, 200_000))
    const tareG = rng.uniform(80, 400)
    const shelf = `S${Math.floor(i / perShelf) + 1}`
    const lane = `L${(i % perShelf) + 1}`
    const leadTimeMin = rng.pick([30, 45, 60])
    const sim = new SimLane(
      {
        shelf,
        lane,
        unitWeight: p.unitWeight,
        capacity,
        restockAt,
        tareG,
        sensor: { zeroCounts, countsPerGram, driftG: rng.uniform(1, 6) },
        arrivalsPerHour: capacity * rng.uniform(0.05, 0.12),
        misplacedPerDay: opts.misplacedPerDay ?? 0.5,
        utcOffsetMin: opts.utcOffsetMin ?? 480,
      },
      Math.floor(rng.next() * 2 ** 31),
    )
    // The installer's two-point calibration is good to ~0.1 % and a gram or so of tare.
    const config: LaneConfig = {
      id: lane,
      sku: String(6900000000000 + i),
      name: p.name,
      unitWeight: p.unitWeight,
      capacity,
      restockAt,
      leadTimeMin,
      calibration: { zeroCounts: zeroCounts + Math.round(rng.uniform(-300, 300)), countsPerGram: countsPerGram * (1 + rng.uniform(-0.001, 0.001)) },
      tareG: tareG + rng.uniform(-1, 1),
    }
    out.push({ shelf, config, sim })
  }
  return out
}
