/**
 * Compares what the gateway decided for one lane with what the simulator knows really happened.
 * Used by bench/shelf-accuracy.ts; kept here so tests and other benches can score the same way.
 */
import type { ConditionChange } from '../../gateway/contract/conditions.ts'
import type { ShelfEvent } from '../../devices/shelf/events.ts'
import type { TruthEvent } from './laneModel.ts'

/** A condition change with the time the rules emitted it (its `at` is when the condition started). */
export interface EmittedChange {
  emittedAt: number
  change: ConditionChange
}

export interface LaneScore {
  pickPut: number
  pickPutExact: number
  /** Truth picks/puts after which the lane's count is right. */
  countAgrees: number
  restocks: number
  restocksExact: number
  /** Detected picks/puts that match nothing that happened. */
  spurious: number
  lowAlerts: number
  falseLowAlerts: number
  outOfStockAlerts: number
  falseOutOfStockAlerts: number
  misplacedEpisodes: number
  misplacedDetectable: number
  misplacedDetectedDetectable: number
  misplacedDetectedAll: number
  falseMisplacedAlerts: number
  calibrationAlerts: number
  predictedAlerts: number
  /** ms from the pick that crossed restockAt to the low-stock alert. */
  lowDelays: number[]
}

/** How long after the hand leaves a detected event may come and still match (median lag + stable window). */
const MATCH_MS = 12_000

export function scoreLane(truth: readonly TruthEvent[], detected: readonly ShelfEvent[], alerts: readonly EmittedChange[], restockAt: number, initialCount: number): LaneScore {
  const s: LaneScore = {
    pickPut: 0, pickPutExact: 0, countAgrees: 0, restocks: 0, restocksExact: 0, spurious: 0,
    lowAlerts: 0, falseLowAlerts: 0, outOfStockAlerts: 0, falseOutOfStockAlerts: 0,
    misplacedEpisodes: 0, misplacedDetectable: 0, misplacedDetectedDetectable: 0, misplacedDetectedAll: 0, falseMisplacedAlerts: 0,
    calibrationAlerts: 0, predictedAlerts: 0, lowDelays: [],
  }
  const moves = detected.filter((e) => e.type === 'pick' || e.type === 'put')
  const used = new Set<number>()
  const match = (type: 'pick' | 'put', qty: number, at: number): boolean => {
    for (let i = 0; i < moves.length; i++) {
      const e = moves[i] as ShelfEvent & { qty: number }
      if (used.has(i) || e.at < at || e.at > at + MATCH_MS) continue
      if (e.type === type && e.qty === qty) {
        used.add(i)
        return true
      }
    }
    return false
  }
  const counts = detected.filter((e) => e.type === 'count' || e.type === 'pick' || e.type === 'put' || e.type === 'resolved') as { at: number; count: number }[]
  const detectedCountAt = (time: number): number | undefined => {
    let c: number | undefined
    for (const e of counts) {
      if (e.at > time) break
      c = e.count
    }
    return c
  }
  for (const t of truth) {
    if (t.type === 'pick' || t.type === 'put') {
      s.pickPut++
      if (match(t.type, t.qty, t.at)) s.pickPutExact++
      if (detectedCountAt(t.at + MATCH_MS) === t.count) s.countAgrees++
    } else if (t.type === 'restock') {
      // Staff may pause while filling, so a restock can arrive as several puts: judge the count after it.
      s.restocks++
      if (detectedCountAt(t.at + MATCH_MS) === t.count) s.restocksExact++
      moves.forEach((e, i) => {
        if (e.type === 'put' && e.at >= t.start && e.at <= t.at + MATCH_MS) used.add(i)
      })
    }
  }
  s.spurious = moves.length - used.size

  // Truth count over time, to judge each alert.
  const steps: { at: number; start: number; count: number }[] = [{ at: -Infinity, start: -Infinity, count: initialCount }]
  for (const t of truth) if (t.type === 'pick' || t.type === 'put' || t.type === 'restock') steps.push({ at: t.at, start: t.start, count: t.count })
  const countAt = (time: number): number => {
    let c = initialCount
    for (const st of steps) if (st.at <= time) c = st.count
    return c
  }
  // An alert is false only if the true count never justified it in the 30 s before it.
  const justified = (time: number, ok: (c: number) => boolean): boolean =>
    ok(countAt(time)) || steps.some((st) => st.at > time - 30_000 && st.at <= time && ok(st.count))

  const episodes = pairEpisodes(truth)
  s.misplacedEpisodes = episodes.length
  const detectedEpisodes = new Set<number>()
  for (const { emittedAt, change } of alerts) {
    if (!change.active) continue
    const t = emittedAt
    switch (change.rule) {
      case 'shelf.restock.low':
        if (!isNew(alerts, change, t)) break
        s.lowAlerts++
        if (!justified(t, (c) => c <= restockAt)) s.falseLowAlerts++
        break
      case 'shelf.out_of_stock':
        s.outOfStockAlerts++
        if (!justified(t, (c) => c === 0)) s.falseOutOfStockAlerts++
        break
      case 'shelf.misplaced': {
        const i = episodes.findIndex((e) => t >= e.on && t <= e.off + 10_000)
        if (i < 0) s.falseMisplacedAlerts++
        else detectedEpisodes.add(i)
        break
      }
      case 'shelf.calibration_suspect':
        s.calibrationAlerts++
        break
      case 'shelf.predicted_empty':
        if (isNew(alerts, change, t)) s.predictedAlerts++
        break
    }
  }
  for (const i of detectedEpisodes) {
    s.misplacedDetectedAll++
    if (episodes[i]?.detectable) s.misplacedDetectedDetectable++
  }
  s.misplacedDetectable = episodes.filter((e) => e.detectable).length

  // Delay: each pick that takes the true count from above restockAt to at/below it.
  const lowRaises = alerts.filter((a) => a.change.rule === 'shelf.restock.low' && a.change.active && isNew(alerts, a.change, a.emittedAt))
  let prev = initialCount
  for (const t of truth) {
    if (t.type !== 'pick' && t.type !== 'put' && t.type !== 'restock') continue
    if (t.type === 'pick' && prev > restockAt && t.count <= restockAt) {
      const raise = lowRaises.find((a) => a.emittedAt >= t.start)
      if (raise && raise.emittedAt - t.at < 3_600_000) s.lowDelays.push(raise.emittedAt - t.at)
    }
    prev = t.count
  }
  return s
}

/** True when this active change opened the alert (the first active after an inactive, or the very first). */
function isNew(alerts: readonly EmittedChange[], change: ConditionChange, at: number): boolean {
  let last: boolean | undefined
  for (const a of alerts) {
    if (a.emittedAt >= at && a.change === change) break
    if (a.change.rule === change.rule) last = a.change.active
  }
  return last !== true
}

function pairEpisodes(truth: readonly TruthEvent[]): { on: number; off: number; detectable: boolean }[] {
  const out: { on: number; off: number; detectable: boolean }[] = []
  let open: { on: number; detectable: boolean } | undefined
  for (const t of truth) {
    if (t.type === 'foreign_on') open = { on: t.start, detectable: t.detectable }
    if (t.type === 'foreign_off' && open) {
      out.push({ ...open, off: t.at })
      open = undefined
    }
  }
  if (open) out.push({ ...open, off: Infinity })
  return out
}
