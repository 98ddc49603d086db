/**
 * A seeded, pure generator of a locker day: couriers deposit orders, customers come to collect
 * (most on time, some late, some typing wrong codes first, some leaving the door open), and staff take
 * back what nobody collected. The same seed always gives the same day, so a failing demo or test can
 * be replayed exactly.
 */
import type { TempClass } from '../../devices/locker/order.ts'

export interface ScenarioLocker {
  id: string
  /** Temperature class of each slot, index 0 = slot 1. */
  slots: TempClass[]
}

export interface ScenarioOptions {
  seed: number
  /** Start of the day, ms since epoch. */
  start: number
  lockers: ScenarioLocker[]
  orders: number
  /** Promised holding time from deposit (default 24 h). */
  holdMs?: number
  /** Deposits are spread over this window from `start` (default 8 h). */
  depositWindowMs?: number
  lateShare?: number
  noShowShare?: number
  wrongCodeShare?: number
  leftOpenShare?: number
  /** Share of chilled orders that end up in an ambient slot (the chilled slots were full). */
  misplacedChilledShare?: number
}

export interface ScenarioOrder {
  id: string
  tempClass: TempClass
  locker: string
  slot: number
  depositAt: number
  deadline: number
  fate: 'on_time' | 'late' | 'no_show'
  wrongCodes: number
  leavesDoorOpen: boolean
}

export type ScenarioStep =
  | { at: number; actor: 'courier'; action: 'deposit'; orderId: string; locker: string; slot: number }
  | { at: number; actor: 'customer'; action: 'enter_code'; orderId: string; locker: string; slot: number; correct: boolean }
  | { at: number; actor: 'customer'; action: 'close_door'; orderId: string; locker: string; slot: number }
  | { at: number; actor: 'staff'; action: 'return'; orderId: string; locker: string; slot: number }

export interface Scenario {
  orders: ScenarioOrder[]
  steps: ScenarioStep[]
}

const MIN = 60_000
const HOUR = 60 * MIN

// Scenarios are seeded (not for codes: those use crypto).
export { seededRandom } from '../random.ts'
import { seededRandom } from '../random.ts'

export function generateScenario(o: ScenarioOptions): Scenario {
  const rnd = seededRandom(o.seed)
  const between = (lo: number, hi: number): number => Math.floor(lo + rnd() * (hi - lo))
  const holdMs = o.holdMs ?? 24 * HOUR
  const window = o.depositWindowMs ?? 8 * HOUR
  const free = o.lockers.flatMap((l) => l.slots.map((tempClass, i) => ({ locker: l.id, slot: i + 1, tempClass })))
  const orders: ScenarioOrder[] = []
  const steps: ScenarioStep[] = []

  for (let n = 0; n < o.orders && free.length > 0; n++) {
    const roll = rnd()
    const tempClass: TempClass = roll < 0.6 ? 'ambient' : roll < 0.9 ? 'chilled' : 'frozen'
    const misplaced = tempClass === 'chilled' && rnd() < (o.misplacedChilledShare ?? 0.1)
    const wanted: TempClass = misplaced ? 'ambient' : tempClass
    const idx = Math.max(0, free.findIndex((s) => s.tempClass === wanted))
    const [place] = free.splice(idx, 1)
    if (!place) break
    const id = `O${String(n + 1).padStart(4, '0')}`
    const depositAt = o.start + between(0, window)
    const deadline = depositAt + holdMs
    const fateRoll = rnd()
    const fate: ScenarioOrder['fate'] =
      fateRoll < (o.noShowShare ?? 0.05) ? 'no_show' : fateRoll < (o.noShowShare ?? 0.05) + (o.lateShare ?? 0.15) ? 'late' : 'on_time'
    const wrongCodes = rnd() < (o.wrongCodeShare ?? 0.1) ? between(1, 7) : 0
    const leavesDoorOpen = fate !== 'no_show' && rnd() < (o.leftOpenShare ?? 0.05)
    const order: ScenarioOrder = { id, tempClass, locker: place.locker, slot: place.slot, depositAt, deadline, fate, wrongCodes, leavesDoorOpen }
    orders.push(order)
    const where = { orderId: id, locker: place.locker, slot: place.slot }
    steps.push({ at: depositAt, actor: 'courier', action: 'deposit', ...where })
    if (fate === 'no_show') {
      steps.push({ at: deadline + between(30 * MIN, 2 * HOUR), actor: 'staff', action: 'return', ...where })
      continue
    }
    let at = fate === 'late' ? deadline + between(10 * MIN, 6 * HOUR) : depositAt + between(10 * MIN, holdMs - 10 * MIN)
    for (let w = 0; w < wrongCodes; w++) {
      steps.push({ at, actor: 'customer', action: 'enter_code', correct: false, ...where })
      at += between(5_000, 30_000)
    }
    steps.push({ at, actor: 'customer', action: 'enter_code', correct: true, ...where })
    // A door left open is closed by staff much later; a normal pickup takes 10–40 s.
    const closeAfter = leavesDoorOpen ? between(5 * MIN, 30 * MIN) : between(10_000, 40_000)
    steps.push({ at: at + closeAfter, actor: 'customer', action: 'close_door', ...where })
  }
  steps.sort((a, b) => a.at - b.at || a.orderId.localeCompare(b.orderId))
  return { orders, steps }
}
