/**
 * Cold-chain accuracy bench: a simulated month of a store's cold units (time-compressed), with normal
 * door openings and defrosts plus injected failures, fed through the real excursion state machines.
 * Prints detection rate, detection delay against the configured delay, false alarms and trend lead time.
 * The last line of output is one JSON object. Run: npx node bench/coldchain-accuracy.ts [--help]
 */
import { parseArgs } from 'node:util'
import type { ConditionChange } from '../gateway/contract/conditions.ts'
import { ColdUnitMonitor } from '../devices/cold/excursion.ts'
import { mustResolveColdUnit, type ColdUnitClass, type ResolvedColdUnit } from '../devices/cold/limits.ts'
import { suspectAfterReadings } from '../devices/cold/sensorHealth.ts'
import { fridgeFailureTypes, type FridgeFailureType, type InjectedFailure } from '../firmware-sim/cold/failures.ts'
import { chilledFridge, freezer, frozenDisplay, FridgeSim, type FridgeParams } from '../firmware-sim/cold/fridge.ts'
import { seededRng } from '../firmware-sim/cold/random.ts'

const { values: args } = parseArgs({
  options: {
    days: { type: 'string', default: '30' },
    units: { type: 'string', default: '24' },
    seed: { type: 'string', default: '1' },
    interval: { type: 'string', default: '60' },
    step: { type: 'string', default: '10' },
    help: { type: 'boolean', default: false },
  },
})
if (args.help) {
  console.log(`usage: npx node bench/coldchain-accuracy.ts [--days 30] [--units 24] [--seed 1] [--interval 60] [--step 10]
  --days      simulated days (default 30)
  --units     cold units (default 24: chilled, cold lockers, cold rooms, freezers, frozen display cases)
  --seed      random seed; the same seed plays the same month
  --interval  sensor reading interval in seconds (default 60)
  --step      physics step in seconds (default 10)
Prints progress per simulated day; the last line is one JSON object with the figures.`)
  process.exit(0)
}

const minute = 60_000
const hour = 60 * minute
const day = 24 * hour
const days = Number(args.days)
const unitCount = Number(args.units)
const seed = Number(args.seed)
const intervalMs = Number(args.interval) * 1000
const stepMs = Number(args.step) * 1000
const start = Date.UTC(2026, 10, 1)
const end = start + days * day

const classCycle: ColdUnitClass[] = ['chilled', 'chilled', 'frozen', 'cold-locker', 'chilled', 'frozen-display', 'chilled', 'cold-room']
const physics: Record<ColdUnitClass, FridgeParams> = {
  chilled: chilledFridge,
  'cold-room': { ...chilledFridge, doorsPerHourDay: 2, doorSeconds: [30, 150], doorPerMin: 0.1 },
  'cold-locker': { ...chilledFridge, doorsPerHourDay: 2, doorSeconds: [5, 20] },
  frozen: freezer,
  'frozen-display': frozenDisplay,
}
const failureMinutes: Record<FridgeFailureType, number> = {
  'compressor-failure': 180,
  'compressor-degraded': 12 * 60,
  'door-left-open': 30,
  'power-cut': 120,
  'sensor-dropout': 60,
  'sensor-stuck': 180,
  'sensor-drift': 12 * 60,
  'sensor-glitch': 3,
}
/** After a failure ends, alerts are still attributed to it for this long (recovery, product rewarming). */
const afterMin = 90

interface Unit {
  cfg: ResolvedColdUnit
  sim: FridgeSim
  mon: ColdUnitMonitor
  nextReading: number
  nextDue: number | null
  door: boolean
  defrost: boolean
  alerts: Array<ConditionChange & { unit: string }>
  /** Ground truth per failure: start of the first run of the (noise-free) value above the limit that lasted warningMin. */
  crossings: Map<InjectedFailure, number>
  runs: Map<InjectedFailure, number | null>
}

const rng = seededRng(seed)
const units: Unit[] = []
let failureIndex = 0
for (let i = 0; i < unitCount; i++) {
  const cls = classCycle[i % classCycle.length]!
  const cfg = mustResolveColdUnit({ id: `U${i + 1}`, name: `${cls} ${i + 1}`, class: cls, readingIntervalS: intervalMs / 1000 })
  const sim = new FridgeSim(physics[cls], seed * 1000 + i, start)
  // Three failures per unit, in days 2–29, at least 4 days apart, cycling through every type.
  for (let k = 0; k < 3 && days >= 8; k++) {
    const type = fridgeFailureTypes[failureIndex++ % fridgeFailureTypes.length]!
    const slot = Math.floor(((days - 2) / 3) * k) + 2
    const t0 = start + slot * day + Math.floor(rng.between(0, day - 14 * hour) / minute) * minute
    sim.inject({ type, start: t0, end: t0 + failureMinutes[type] * minute, driftCPerH: 1 })
  }
  const mon = new ColdUnitMonitor(cfg, start)
  units.push({ cfg, sim, mon, nextReading: start + Math.floor(rng.between(0, intervalMs)), nextDue: null, door: false, defrost: false, alerts: [], crossings: new Map(), runs: new Map() })
}

const record = (u: Unit, changes: ConditionChange[]): void => {
  for (const c of changes) if (c.active) u.alerts.push({ ...c, unit: u.cfg.id })
  u.nextDue = u.mon.nextDueAt(u.nextReading)
}

// Recovery measurements for docs/cold-chain.md: how long the air stays above the limit after a normal door closing / defrost.
const doorClosedAt = new Map<Unit, number>()
const defrostEndedAt = new Map<Unit, number>()
let worstDoorRecoveryMin = 0
let worstDefrostRecoveryMin = 0
let readings = 0
const t0 = performance.now()
for (let now = start; now < end; now += stepMs) {
  for (const u of units) {
    const s = u.sim.tick(now, stepMs)
    const l = u.cfg.limits
    const failing = u.sim.truth.filter((f) => now >= f.start && now < f.end)
    for (const f of failing) {
      const offset = f.type === 'sensor-drift' ? ((now - f.start) / hour) * (f.driftCPerH ?? 1) : 0
      const v = s.airC + offset
      // A scheduled defrost is an expected rise, not the failure: the truth run restarts after it.
      const run = u.runs.get(f) ?? null
      if (s.defrostActive || v <= l.maxC - l.hysteresisC) u.runs.set(f, null)
      else if (v > l.maxC && run === null) u.runs.set(f, now)
      if (!u.crossings.has(f) && run !== null && now - run >= l.warningMin * minute) u.crossings.set(f, run)
    }
    if (s.doorOpen !== u.door) {
      u.door = s.doorOpen
      record(u, u.mon.reading({ kind: 'cold.door', device: u.cfg.id, unit: u.cfg.id, ts: now, open: s.doorOpen }))
      if (!s.doorOpen) doorClosedAt.set(u, now)
    }
    if (s.defrostActive !== u.defrost) {
      u.defrost = s.defrostActive
      record(u, u.mon.reading({ kind: 'cold.defrost', device: u.cfg.id, unit: u.cfg.id, ts: now, active: s.defrostActive }))
      if (!s.defrostActive) defrostEndedAt.set(u, now)
    }
    const recent = u.sim.truth.some((f) => now >= f.start && now < f.end + afterMin * minute)
    if (!recent && s.airC > l.maxC && !s.doorOpen && !s.defrostActive) {
      const dc = doorClosedAt.get(u) ?? -Infinity
      const de = defrostEndedAt.get(u) ?? -Infinity
      if (dc > de) worstDoorRecoveryMin = Math.max(worstDoorRecoveryMin, (now - dc) / minute)
      else if (de > -Infinity) worstDefrostRecoveryMin = Math.max(worstDefrostRecoveryMin, (now - de) / minute)
    }
    while (u.nextReading <= now) {
      const c = u.sim.readProbe(u.nextReading)
      if (c !== null) {
        readings++
        record(u, u.mon.reading({ kind: 'cold.temp', device: u.cfg.id, unit: u.cfg.id, ts: u.nextReading, c, probe: 'air' }))
      }
      u.nextReading += intervalMs
    }
    if (u.nextDue !== null && u.nextDue <= now) {
      record(u, u.mon.tick(now))
      u.nextDue = u.mon.nextDueAt(now)
    }
  }
  if ((now - start) % day === 0 && now > start) {
    const d = (now - start) / day
    const alerts = units.reduce((n, u) => n + u.alerts.length, 0)
    console.log(`day ${d}/${days}: ${readings} readings, ${alerts} alerts raised, ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  }
}

// Scoring.
interface Outcome {
  unit: string
  type: FridgeFailureType
  expected: string
  detected: boolean
  delayMin: number | null
  goalMin: number | null
  trendLeadMin: number | null
  ref?: number
  note?: string
}
const expectedRule: Record<FridgeFailureType, string> = {
  'compressor-failure': 'cold.excursion.warning',
  'compressor-degraded': 'cold.excursion.warning',
  'door-left-open': 'cold.door_open',
  'power-cut': 'cold.excursion.warning',
  'sensor-dropout': 'cold.sensor.offline',
  'sensor-stuck': 'cold.sensor.suspect',
  'sensor-drift': 'cold.excursion.warning',
  'sensor-glitch': 'cold.sensor.suspect',
}
const outcomes: Outcome[] = []
const falseAlarms: Array<{ unit: string; rule: string; at: string; params: unknown }> = []
for (const u of units) {
  const l = u.cfg.limits
  const interval = u.cfg.readingIntervalMs / minute
  for (const f of u.sim.truth) {
    const rule = expectedRule[f.type]
    const tempRule = rule === 'cold.excursion.warning'
    const ref = tempRule ? u.crossings.get(f) : f.start
    if (ref === undefined) {
      outcomes.push({ unit: u.cfg.id, type: f.type, expected: rule, detected: false, delayMin: null, goalMin: null, trendLeadMin: null, note: 'limit never crossed: nothing to detect' })
      continue
    }
    const hit = u.alerts.find((a) => a.rule === rule && a.at >= f.start && a.at <= f.end + afterMin * minute)
    const goal: Record<string, number | null> = {
      'cold.excursion.warning': f.type === 'sensor-drift' ? null : l.warningMin + interval,
      'cold.door_open': l.doorOpenAlertMin + interval,
      'cold.sensor.offline': (l.offlineIntervals + 1) * interval,
      'cold.sensor.suspect': f.type === 'sensor-stuck' ? l.stuckMin + interval : suspectAfterReadings * interval,
    }
    const trend = u.alerts.find((a) => a.rule === 'cold.trend' && a.at >= f.start - 60 * minute && a.at <= (hit?.at ?? f.end))
    outcomes.push({
      unit: u.cfg.id,
      type: f.type,
      expected: rule,
      detected: hit !== undefined,
      delayMin: hit === undefined ? null : Math.round(((hit.at - ref) / minute) * 10) / 10,
      goalMin: goal[rule] ?? null,
      trendLeadMin: tempRule && trend !== undefined ? Math.round(((ref - trend.at) / minute) * 10) / 10 : null,
      ref,
    })
  }
  for (const a of u.alerts) {
    const explained = u.sim.truth.some((f) => a.at >= f.start && a.at <= f.end + afterMin * minute)
    if (!explained) falseAlarms.push({ unit: u.cfg.id, rule: a.rule, at: new Date(a.at).toISOString(), params: a.message.params })
  }
}

const applicable = outcomes.filter((o) => o.note === undefined)
const detected = applicable.filter((o) => o.detected)
const withGoal = detected.filter((o) => o.goalMin !== null && o.delayMin !== null)
const late = withGoal.filter((o) => o.delayMin! > o.goalMin!)
const degraded = applicable.filter((o) => o.type === 'compressor-degraded')
const leads = degraded.map((o) => o.trendLeadMin)
console.log('')
console.log('per failure type: detected/applicable, worst delay (goal), trend lead time before the limit was crossed')
for (const type of fridgeFailureTypes) {
  const os = applicable.filter((o) => o.type === type)
  const ds = os.filter((o) => o.detected)
  const worst = Math.max(...ds.map((o) => o.delayMin ?? 0))
  const goal = os[0]?.goalMin
  const tl = os.map((o) => o.trendLeadMin).filter((x) => x !== null)
  console.log(
    `  ${type.padEnd(20)} ${ds.length}/${os.length}  worst delay ${ds.length ? worst.toFixed(1) : '-'} min (goal ${goal ?? 'n/a'})` +
      (tl.length ? `  trend lead min ${Math.min(...tl)} / max ${Math.max(...tl)} min (${tl.length}/${os.length} had one)` : ''),
  )
}
for (const o of outcomes.filter((x) => x.note !== undefined)) console.log(`  not applicable: ${o.unit} ${o.type}: ${o.note}`)
for (const o of late) console.log(`  late: ${o.unit} ${o.type} ${o.delayMin} min > goal ${o.goalMin} min (limit crossed for good at ${new Date(o.ref!).toISOString()})`)
for (const o of applicable.filter((x) => !x.detected)) console.log(`  MISSED: ${o.unit} ${o.type} (expected ${o.expected})`)
for (const o of degraded.filter((x) => x.trendLeadMin === null || x.trendLeadMin < 10)) {
  console.log(`  trend lead ${o.trendLeadMin === null ? 'none' : `${o.trendLeadMin} min`}: ${o.unit} ${o.type} (limit crossed for good at ${new Date(o.ref!).toISOString()})`)
}
const byRule = new Map<string, number>()
for (const f of falseAlarms) byRule.set(`${f.rule} (${units.find((u) => u.cfg.id === f.unit)!.cfg.class})`, (byRule.get(`${f.rule} (${units.find((u) => u.cfg.id === f.unit)!.cfg.class})`) ?? 0) + 1)
for (const [k, n] of byRule) console.log(`  false alarms: ${n} × ${k}`)
for (const f of falseAlarms.slice(0, 10)) console.log(`  false alarm: ${f.unit} ${f.rule} at ${f.at} ${JSON.stringify(f.params)}`)
const seconds = (performance.now() - t0) / 1000
console.log(`\n${units.length} units, ${days} days, ${readings} readings in ${seconds.toFixed(1)} s`)
console.log(`worst air recovery above the limit: after a normal door closing ${worstDoorRecoveryMin.toFixed(1)} min, after a defrost ${worstDefrostRecoveryMin.toFixed(1)} min`)
console.log(
  JSON.stringify({
    bench: 'coldchain-accuracy',
    seed,
    days,
    units: units.length,
    readingIntervalS: intervalMs / 1000,
    readings,
    failuresInjected: outcomes.length,
    failuresApplicable: applicable.length,
    detectionRate: applicable.length ? Math.round((detected.length / applicable.length) * 1000) / 10 : null,
    worstDelayOverGoalMin: withGoal.length ? Math.round(Math.max(...withGoal.map((o) => o.delayMin! - o.goalMin!)) * 10) / 10 : null,
    lateDetections: late.length,
    falseAlarms: falseAlarms.length,
    trendLeadMinOnSlowFailures: {
      min: leads.some((x) => x === null) || leads.length === 0 ? null : Math.min(...(leads as number[])),
      max: leads.length ? Math.max(...leads.map((x) => x ?? -Infinity)) : null,
      withTrend: leads.filter((x) => x !== null).length,
      of: leads.length,
    },
    worstDoorRecoveryMin: Math.round(worstDoorRecoveryMin * 10) / 10,
    worstDefrostRecoveryMin: Math.round(worstDefrostRecoveryMin * 10) / 10,
    seconds: Math.round(seconds * 10) / 10,
  }),
)
