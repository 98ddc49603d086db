/**
 * Shelf accuracy bench: a simulated week of a 120-lane store at 2 Hz, time-compressed, through the
 * lane pipeline and the restock rules, scored against the simulator's ground truth.
 * Run: npx node bench/shelf-accuracy.ts [--days 7] [--lanes 120] [--seed 1] [--full-rate]
 * The last line of output is one JSON object with the figures.
 */
import { parseArgs } from 'node:util'
import { LanePipeline } from '../devices/shelf/lanePipeline.ts'
import type { ShelfEvent } from '../devices/shelf/events.ts'
import { LaneRestockRules } from '../gateway/rules/shelf/laneRules.ts'
import { scoreLane } from '../firmware-sim/shelf/accuracy.ts'
import type { EmittedChange, LaneScore } from '../firmware-sim/shelf/accuracy.ts'
import { makeSimStore } from '../firmware-sim/shelf/simStore.ts'

const help = `Usage: npx node bench/shelf-accuracy.ts [options]

Plays a simulated store (seeded, deterministic) through the shelf pipeline and restock rules and
prints how many picks/puts were counted exactly, false restock alerts, misplaced items detected and
the delay from the pick that crosses the restock threshold to the alert.

  --days N        simulated days (default 7)
  --lanes N       lanes in the store (default 120)
  --hz N          samples per second per lane while anything happens (default 2)
  --seed N        PRNG seed (default 1)
  --misplaced N   foreign items left per lane per day (default 1)
  --idle-gap S    seconds skipped between idle bursts (default 120); see docs/shelf.md
  --full-rate     sample every lane at --hz all the time (slow: use with --days 1 --lanes 20)
  --help          this text
`

const { values } = parseArgs({
  options: {
    days: { type: 'string', default: '7' },
    lanes: { type: 'string', default: '120' },
    hz: { type: 'string', default: '2' },
    seed: { type: 'string', default: '1' },
    'idle-gap': { type: 'string', default: '120' },
    misplaced: { type: 'string', default: '1' },
    'full-rate': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
})
if (values.help) {
  process.stdout.write(help)
  process.exit(0)
}
const num = (name: string, v: string | undefined): number => {
  const n = Number(v)
  if (!Number.isFinite(n) || n <= 0) {
    process.stderr.write(`--${name} must be a number > 0 (got "${v}")\n`)
    process.exit(2)
  }
  return n
}
const days = num('days', values.days)
const laneCount = Math.round(num('lanes', values.lanes))
const hz = num('hz', values.hz)
const seed = Math.round(num('seed', values.seed))
const idleGapMs = num('idle-gap', values['idle-gap']) * 1000
const fullRate = values['full-rate'] === true
const misplacedPerDay = values.misplaced === '0' ? 0 : num('misplaced', values.misplaced)

const UTC_OFFSET_MIN = 480 // the reference store is in Asia/Shanghai
const start = Date.UTC(2026, 2, 2) - UTC_OFFSET_MIN * 60_000 // Monday 00:00 local: the store is closed
const end = start + days * 86_400_000
const period = 1000 / hz
// Sample at full rate from this long before a hand reaches the shelf until this long after it leaves.
const LEAD_MS = 15_000
const SETTLE_MS = 20_000
const BURST = 8

const started = performance.now()
const store = makeSimStore({ lanes: laneCount, seed, utcOffsetMin: UTC_OFFSET_MIN, misplacedPerDay })
console.log(`shelf-accuracy: ${laneCount} lanes × ${days} day(s) at ${hz} Hz, seed ${seed}${fullRate ? ', full rate' : `, idle bursts every ${idleGapMs / 1000} s`}`)

const scores: LaneScore[] = []
let samples = 0
for (let i = 0; i < store.length; i++) {
  const { shelf, config, sim } = store[i]!
  const pipeline = new LanePipeline(config, { velocity: { utcOffsetMin: UTC_OFFSET_MIN } })
  const rules = new LaneRestockRules({ shelf, lane: pipeline.lane })
  const detected: ShelfEvent[] = []
  const alerts: EmittedChange[] = []
  const initialCount = sim.count
  let t = start
  let settleUntil = 0
  let burst = BURST
  while (t < end) {
    const { raw } = sim.tick(t)
    const events = pipeline.push({ ts: Math.round(t), raw })
    samples++
    if (events.length > 0) detected.push(...events)
    for (const change of rules.update(t, pipeline.state(), events)) alerts.push({ emittedAt: t, change })
    if (sim.busy(t)) settleUntil = t + SETTLE_MS
    if (fullRate || t < settleUntil || sim.busy(t, LEAD_MS)) {
      t += period
    } else if (burst > 0) {
      burst--
      t += period
    } else {
      // Idle: nothing touches the lane. Skip ahead, but never past the next hand on the shelf.
      t = Math.max(t + period, Math.min(t + idleGapMs, sim.nextActivityAt(t) - LEAD_MS))
      burst = BURST
    }
  }
  scores.push(scoreLane(sim.truth, detected, alerts, config.restockAt, initialCount))
  if ((i + 1) % 10 === 0 || i + 1 === store.length) {
    const s = (performance.now() - started) / 1000
    console.log(`  lanes ${i + 1}/${store.length}  samples ${(samples / 1e6).toFixed(2)} M  ${s.toFixed(1)} s`)
  }
}

const sum = (k: keyof Omit<LaneScore, 'lowDelays'>): number => scores.reduce((a, s) => a + s[k], 0)
const delays = scores.flatMap((s) => s.lowDelays).sort((a, b) => a - b)
const quantile = (q: number): number | null => (delays.length === 0 ? null : (delays[Math.min(delays.length - 1, Math.floor(q * delays.length))] as number))
const pct = (a: number, b: number): number | null => (b === 0 ? null : Math.round((10_000 * a) / b) / 100)

const result = {
  bench: 'shelf-accuracy',
  lanes: laneCount,
  days,
  hz,
  seed,
  fullRate,
  misplacedPerDay,
  samples,
  pickPutEvents: sum('pickPut'),
  pickPutExactPct: pct(sum('pickPutExact'), sum('pickPut')),
  countRightAfterPickPutPct: pct(sum('countAgrees'), sum('pickPut')),
  spuriousPickPut: sum('spurious'),
  restocks: sum('restocks'),
  restocksExactPct: pct(sum('restocksExact'), sum('restocks')),
  lowAlerts: sum('lowAlerts'),
  falseRestockAlerts: sum('falseLowAlerts') + sum('falseOutOfStockAlerts'),
  outOfStockAlerts: sum('outOfStockAlerts'),
  misplacedEpisodes: sum('misplacedEpisodes'),
  misplacedDetectable: sum('misplacedDetectable'),
  misplacedDetectedPct: pct(sum('misplacedDetectedDetectable'), sum('misplacedDetectable')),
  misplacedDetectedOfAllPct: pct(sum('misplacedDetectedAll'), sum('misplacedEpisodes')),
  falseMisplacedAlerts: sum('falseMisplacedAlerts'),
  calibrationSuspectAlerts: sum('calibrationAlerts'),
  predictedEmptyAlerts: sum('predictedAlerts'),
  lowAlertDelayMedianS: quantile(0.5) === null ? null : Math.round(quantile(0.5)! / 100) / 10,
  lowAlertDelayP95S: quantile(0.95) === null ? null : Math.round(quantile(0.95)! / 100) / 10,
  runtimeS: Math.round((performance.now() - started) / 100) / 10,
}

console.log('')
console.log(`pick/put events counted exactly  ${result.pickPutExactPct} %  of ${result.pickPutEvents}   (goal ≥ 99.5 %; spurious ${result.spuriousPickPut})`)
console.log(`count right after a pick/put      ${result.countRightAfterPickPutPct} %`)
console.log(`restocks counted exactly         ${result.restocksExactPct} %  of ${result.restocks}`)
console.log(`false restock alerts             ${result.falseRestockAlerts}   of ${result.lowAlerts} low + ${result.outOfStockAlerts} out-of-stock   (goal 0)`)
console.log(`misplaced items detected         ${result.misplacedDetectedPct} %  of ${result.misplacedDetectable} detectable by weight (goal ≥ 95 %); ${result.misplacedDetectedOfAllPct} % of all ${result.misplacedEpisodes}; false alerts ${result.falseMisplacedAlerts}`)
console.log(`pick → low-stock alert delay     median ${result.lowAlertDelayMedianS} s, p95 ${result.lowAlertDelayP95S} s`)
console.log(`calibration-suspect alerts       ${result.calibrationSuspectAlerts};  predicted-empty alerts ${result.predictedEmptyAlerts}`)
console.log(JSON.stringify(result))
