/**
 * The simulated store's devices over MQTT, for the demo and smoke tests: shelf lanes use the HX711 lane
 * model with shoppers (firmware-sim/shelf); cold units a simple cycling fridge (the full thermal model
 * with failures is firmware-sim/cold); lock boards answer unlock commands.
 */
import type { StoreConfig } from '../gateway/config/schema.ts'
import { topics } from '../gateway/contract/topics.ts'
import { gaussian, seededRandom } from './random.ts'
import { SimLane } from './shelf/laneModel.ts'

export interface SimMessage {
  topic: string
  payload: Record<string, unknown>
}

export interface SimModel {
  device: string
  intervalMs: number
  tick(now: number): SimMessage[]
  /** Command topic filter the device subscribes to, and what it does on a command. */
  commands?: string
  onCommand?(topic: string, now: number): SimMessage[]
}

export function createStoreModels(config: StoreConfig, seed: number): SimModel[] {
  const rand = seededRandom(seed)
  const store = config.store.id
  const models: SimModel[] = []
  let seq = 0

  for (const shelf of config.shelves) {
    if (!shelf.device) continue
    // HX711-class lanes (noise, unstable low bits, spikes, drift) with shoppers picking and putting
    // back 1–3 items, restocking and the odd misplaced item: firmware-sim/shelf/laneModel.ts.
    const lanes = shelf.lanes.map((l, i) => ({
      lane: l,
      sim: new SimLane(
        {
          shelf: shelf.id,
          lane: l.id,
          unitWeight: l.unitWeight,
          capacity: l.capacity,
          restockAt: l.restockAt,
          initialCount: l.capacity,
          tareG: l.tareG ?? 0,
          sensor: { zeroCounts: l.calibration?.zeroCounts ?? 0, countsPerGram: l.calibration?.countsPerGram ?? 420 },
          // Busy enough that the demo shows picks within a minute or two.
          arrivalsPerHour: 40,
          misplacedPerDay: 2,
        },
        seed * 1000 + i + shelf.id.length,
      ),
    }))
    models.push({
      device: shelf.device,
      intervalMs: 500,
      tick(now) {
        return lanes.map(({ lane, sim }) => {
          const sample = sim.tick(now)
          const payload = lane.calibration ? { raw: sample.raw, seq: seq++ } : { g: Math.round(sample.g * 10) / 10, seq: seq++ }
          return { topic: topics.shelfWeight(store, shelf.id, lane.id), payload }
        })
      },
    })
  }

  for (const unit of config.coldUnits) {
    if (!unit.device) continue
    const base = unit.class === 'frozen' || unit.class === 'frozen-display' ? -20 : 3
    let doorOpenUntil = 0
    models.push({
      device: unit.device,
      intervalMs: Math.min(unit.readingIntervalS * 1000, 5_000),
      tick(now) {
        const out: SimMessage[] = []
        const compressorCycle = Math.sin(now / 600_000) * 0.8
        const doorOpen = now < doorOpenUntil
        if (!doorOpen && rand() < 0.02) {
          doorOpenUntil = now + 8_000
          out.push({ topic: topics.cold(store, unit.id, 'door'), payload: { open: true } })
        } else if (doorOpenUntil !== 0 && !doorOpen) {
          doorOpenUntil = 0
          out.push({ topic: topics.cold(store, unit.id, 'door'), payload: { open: false } })
        }
        const c = base + compressorCycle + (doorOpen ? 1.5 : 0) + gaussian(rand) * 0.1
        out.push({ topic: topics.cold(store, unit.id, 'temp'), payload: { c: Math.round(c * 100) / 100, probe: 'air', seq: seq++ } })
        return out
      },
    })
  }

  for (const locker of config.lockers) {
    if (!locker.device) continue
    let reported = false
    const closing: { slot: number; at: number }[] = []
    models.push({
      device: locker.device,
      intervalMs: 1_000,
      // A lock board reports every door at power-on, then only what happens: doors open on an
      // unlock command (never by themselves) and the customer closes them a few seconds later.
      tick(now) {
        const out: SimMessage[] = []
        if (!reported) {
          reported = true
          for (let slot = 1; slot <= locker.compartments.count; slot++) out.push({ topic: topics.lockerEvent(store, locker.id, slot), payload: { type: 'locked' } })
        }
        while (closing.length && (closing[0] as { at: number }).at <= now) {
          const { slot } = closing.shift() as { slot: number }
          out.push({ topic: topics.lockerEvent(store, locker.id, slot), payload: { type: 'door_closed' } })
        }
        return out
      },
      commands: topics.cmd(store, 'locker', locker.id, '#'),
      onCommand(topic, now) {
        const m = /\/(\d+)\/unlock$/.exec(topic)
        if (!m) return []
        const slot = Number(m[1])
        closing.push({ slot, at: now + 5_000 + rand() * 5_000 })
        closing.sort((a, b) => a.at - b.at)
        return [
          { topic: topics.lockerEvent(store, locker.id, slot), payload: { type: 'unlocked' } },
          { topic: topics.lockerEvent(store, locker.id, slot), payload: { type: 'door_opened' } },
        ]
      },
    })
  }
  return models
}
