/**
 * bench/ingest.ts: durable ingest throughput and PUBACK latency over real TCP, against a bare aedes in
 * the same run; then the reference store's steady load for RSS and bytes written per day.
 * Run: npm run bench:ingest -- --help
 */
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import mqtt from 'mqtt'
import { addDevices } from '../gateway/security/credentials.ts'
import type { LoadDevice, StartMessage } from './support/loadgen.ts'

const { values: args } = parseArgs({
  options: {
    clients: { type: 'string', default: '1000' },
    messages: { type: 'string', default: '300' },
    rounds: { type: 'string', default: '3' },
    inflight: { type: 'string', default: '10' },
    procs: { type: 'string', default: '2' },
    'reference-seconds': { type: 'string', default: '60' },
    'reference-warmup': { type: 'string', default: '45' },
    'warmup-messages': { type: 'string', default: '20' },
    'picks-per-day': { type: 'string', default: '5000' },
    profile: { type: 'string', default: 'all' },
    help: { type: 'boolean', short: 'h' },
  },
})
if (args.help) {
  console.log(`Usage: npm run bench:ingest -- [options]

Burst profile: N devices over real TCP each publish M QoS 1 readings (a window of in-flight ones),
each one a change past the deadband, so every reading is committed to SQLite before its PUBACK,
into (a) a bare aedes and (b) the full Shelfgate gateway (auth, ACL, decode, group commit to SQLite
before the PUBACK), and prints readings/s, PUBACK latency p50/p99, RSS and the ratio.
Reference profile: the reference store (120 lanes at 2 Hz, 24 cold units) for a while; prints steady
RSS and bytes written to disk per day (from /proc/PID/io).

Options:
  --clients N              devices in the burst profile (default 1000)
  --messages M             QoS 1 readings per device (default 300)
  --rounds R               bare aedes and the gateway take turns R times; medians are reported (default 3)
  --inflight K             unacknowledged readings per device (default 10)
  --warmup-messages W      readings per device before the measured burst, not counted (default 20)
  --procs P                load-generator processes (default 2)
  --reference-seconds S    length of the measured reference run, after the warm-up (default 60)
  --reference-warmup S     seconds of load before measuring (default 45: longer than the cold units' 30 s
                           interval, so each channel's first reading, which is always stored, is not counted)
  --picks-per-day P        items taken from the 120 lanes per day in the reference run (default 5000: a busy community store)
  --profile all|burst|reference
  -h, --help

Environment (for profiling and A/B runs):
  GATEWAY_NODE_FLAGS   V8/Node flags of the gateway (default: NODE_OPTIONS of systemd/shelfgate-gateway.service,
                       whose MALLOC_ARENA_MAX and NODE_COMPILE_CACHE the gateway gets too unless set here)
  BARE_NODE_FLAGS      flags of the bare aedes, LOADGEN_NODE_FLAGS of the load generators (e.g. --cpu-prof)
  BENCH_GATEWAY_LOG / BENCH_BARE_LOG   files that keep the broker's stdout (logs, --trace-gc lines)
  BENCH_STORAGE_YAML   a storage: section for the gateway's config
  GATEWAY_CWD          run the gateway of another checkout; BENCH_KEEP keeps the temp dir`)
  process.exit(0)
}

const N = Number(args.clients)
const M = Number(args.messages)
const warmupMessages = Number(args['warmup-messages'])
const rounds = Math.max(1, Number(args.rounds))
const procs = Number(args.procs)
const dir = mkdtempSync(join(tmpdir(), 'shelfgate-bench-'))
const log = (s: string) => process.stderr.write(`${s}\n`)
const node = process.execPath
const flagsFrom = (value: string | undefined) => (value ?? '').split(' ').filter(Boolean)
/**
 * The gateway runs with the environment the systemd unit gives it (NODE_OPTIONS, MALLOC_ARENA_MAX),
 * read from the unit so the bench measures what ships. The bench's own environment overrides it.
 */
function unitEnvironment(): Record<string, string> {
  const unit = readFileSync(new URL('../systemd/shelfgate-gateway.service', import.meta.url), 'utf8')
  const env: Record<string, string> = {}
  for (const m of unit.matchAll(/^Environment=(NODE_OPTIONS|MALLOC_ARENA_MAX|NODE_COMPILE_CACHE)=(.*)$/gm)) env[m[1] as string] = (m[2] as string).trim()
  return env
}
const UNIT_ENV = unitEnvironment()
const GATEWAY_NODE_FLAGS = flagsFrom(process.env.GATEWAY_NODE_FLAGS ?? UNIT_ENV.NODE_OPTIONS)
const GATEWAY_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  ...(UNIT_ENV.MALLOC_ARENA_MAX && !process.env.MALLOC_ARENA_MAX ? { MALLOC_ARENA_MAX: UNIT_ENV.MALLOC_ARENA_MAX } : {}),
  // The unit's cache lives under /var/cache; the bench keeps its own, warmed before the first gateway starts.
  ...(UNIT_ENV.NODE_COMPILE_CACHE && !process.env.NODE_COMPILE_CACHE ? { NODE_COMPILE_CACHE: join(dir, 'compile-cache') } : {}),
}
/** As an installed gateway after its first start: modules compiled and type-stripped from the cache. */
function warmCompileCache(): void {
  if (!GATEWAY_ENV.NODE_COMPILE_CACHE) return
  execFileSync(node, ['gateway/cli/main.ts', '--help'], { cwd: process.env.GATEWAY_CWD ?? process.cwd(), env: GATEWAY_ENV, stdio: 'ignore' })
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number) : Number.NaN
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m ? Number(m[1]) / 1024 : Number.NaN
}

/** utime + stime of a process, in seconds (clock ticks are 100/s on Linux). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
  return (Number(fields[11]) + Number(fields[12])) / 100
}

/** CPU seconds per thread name (the main JS thread, libuv's pool where SQLite runs, V8's GC helpers). */
function cpuByThread(pid: number): Map<string, number> {
  const out = new Map<string, number>()
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')
      const name = tid === String(pid) ? 'main' : (/\((.*)\)/.exec(stat)?.[1] ?? '?').replace(/[\d]+$/, '')
      const f = stat.split(') ')[1]?.split(' ') ?? []
      out.set(name, (out.get(name) ?? 0) + (Number(f[11]) + Number(f[12])) / 100)
      // The main thread's kernel time: socket reads and writes, which grow when device bursts fragment.
      if (name === 'main') out.set('main in kernel', (out.get('main in kernel') ?? 0) + Number(f[12]) / 100)
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out
}

function writeBytes(pid: number): number {
  const m = /write_bytes:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))
  return m ? Number(m[1]) : Number.NaN
}

/** Read- and write-like system calls of a process so far (all its threads), from /proc/PID/io. */
function syscalls(pid: number): { reads: number; writes: number } {
  const io = readFileSync(`/proc/${pid}/io`, 'utf8')
  return { reads: Number(/syscr:\s+(\d+)/.exec(io)?.[1] ?? NaN), writes: Number(/syscw:\s+(\d+)/.exec(io)?.[1] ?? NaN) }
}

function waitForLine(child: ChildProcess, re: RegExp, timeoutMs = 30_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let buf = ''
    const t = setTimeout(() => reject(new Error(`no ${re} within ${timeoutMs} ms:\n${buf}`)), timeoutMs)
    const on = (d: Buffer) => {
      buf += d
      const m = re.exec(buf)
      if (m) {
        clearTimeout(t)
        resolve(m)
      }
    }
    child.stdout?.on('data', on)
    child.stderr?.on('data', on)
  })
}

interface RunResult {
  /** Broker CPU (all its threads) per message, µs. */
  cpuUsPerMsg: number
  readingsPerSec: number
  p50Ms: number
  p99Ms: number
  rssMb: number
  sent: number
  seconds: number
}

/** Spreads the devices over `procs` load generators, starts them together and measures the broker. */
async function drive(url: string, devices: LoadDevice[], brokerPid: number, start: Omit<StartMessage, 'type' | 'url' | 'devices' | 'seed'>): Promise<RunResult & { rssSamples: number[] }> {
  const gens = Array.from({ length: procs }, () => fork(new URL('./support/loadgen.ts', import.meta.url).pathname, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: flagsFrom(process.env.LOADGEN_NODE_FLAGS) }))
  const ready = gens.map((g) => new Promise<void>((r) => g.once('message', () => r())))
  gens.forEach((g, i) => g.send({ type: 'start', url, devices: devices.filter((_, j) => j % procs === i), seed: i + 1, ...start } satisfies StartMessage))
  await Promise.all(ready)
  if (start.mode === 'burst' && warmupMessages > 0) {
    // A gateway runs for months: measure it (and bare aedes) warm, after V8 has compiled the hot path.
    log(`  ${devices.length} devices connected; warm-up: ${warmupMessages} readings each`)
    const warmed = gens.map((g) => new Promise<void>((r) => g.once('message', () => r())))
    gens.forEach((g) => g.send({ type: 'warmup', messages: warmupMessages }))
    await Promise.all(warmed)
  }
  log(`  ${devices.length} devices connected; go`)
  const done = gens.map((g) => new Promise<{ sent: number; latenciesMs: number[]; cpuSeconds: number }>((r) => g.once('message', (m) => r(m as { sent: number; latenciesMs: number[]; cpuSeconds: number }))))
  const rssSamples: number[] = [rssMb(brokerPid)]
  const sampler = setInterval(() => rssSamples.push(rssMb(brokerPid)), 250)
  const cpu0 = cpuSeconds(brokerPid)
  const threads0 = cpuByThread(brokerPid)
  const sys0 = syscalls(brokerPid)
  const t0 = performance.now()
  gens.forEach((g) => g.send({ type: 'go' }))
  const progress = setInterval(() => log(`  ... ${((performance.now() - t0) / 1000).toFixed(0)} s, broker RSS ${rssMb(brokerPid).toFixed(0)} MB`), 5000)
  const results = await Promise.all(done)
  const seconds = (performance.now() - t0) / 1000
  const cpu = cpuSeconds(brokerPid) - cpu0
  const threads = [...cpuByThread(brokerPid)].map(([name, s]) => `${name} ${(s - (threads0.get(name) ?? 0)).toFixed(2)}`)
  const sys1 = syscalls(brokerPid)
  rssSamples.push(rssMb(brokerPid))
  clearInterval(sampler)
  clearInterval(progress)
  const lat = results.flatMap((r) => r.latenciesMs).sort((a, b) => a - b)
  const sent = results.reduce((n, r) => n + r.sent, 0)
  const gensCpu = results.reduce((n, r) => n + r.cpuSeconds, 0)
  log(`  broker CPU seconds by thread over ${seconds.toFixed(1)} s: ${threads.join(', ')}; load generators ${gensCpu.toFixed(2)} s (${((gensCpu / Math.max(1, sent)) * 1e6).toFixed(1)} µs/msg)`)
  // Fewer publishes per socket read (fragmented device bursts) shows here first.
  log(`  broker system calls per message: ${((sys1.reads - sys0.reads) / Math.max(1, sent)).toFixed(2)} reads, ${((sys1.writes - sys0.writes) / Math.max(1, sent)).toFixed(2)} writes`)
  return { cpuUsPerMsg: (cpu / Math.max(1, sent)) * 1e6, readingsPerSec: sent / seconds, p50Ms: percentile(lat, 50), p99Ms: percentile(lat, 99), rssMb: Math.max(...rssSamples), sent, seconds, rssSamples }
}

async function bare(devices: LoadDevice[]): Promise<RunResult> {
  log('bare aedes: starting')
  const child = spawn(node, [...flagsFrom(process.env.BARE_NODE_FLAGS), new URL('./support/bareBroker.ts', import.meta.url).pathname, '0'], { stdio: ['ignore', 'pipe', 'inherit'] })
  if (process.env.BENCH_BARE_LOG) child.stdout?.pipe(createWriteStream(process.env.BENCH_BARE_LOG))
  const port = Number((await waitForLine(child, /listening (\d+)/))[1])
  try {
    const r = await drive(`mqtt://127.0.0.1:${port}`, devices.map((d) => ({ ...d, password: undefined })) as LoadDevice[], child.pid as number, { mode: 'burst', messages: M, inflight: Number(args.inflight), ratePerSec: 0, durationMs: 0 })
    return r
  } finally {
    child.kill('SIGKILL')
  }
}

function storeYaml(name: string, shelves: number, lanesPerShelf: number, coldUnits: number): string {
  const sh = Array.from({ length: shelves }, (_, i) => {
    const lanes = Array.from({ length: lanesPerShelf }, (_, j) => `{ id: L${j}, name: Lane, unitWeight: 262, capacity: 40, restockAt: 5 }`).join(', ')
    return `  - { id: S${i}, device: dev-${i}, lanes: [${lanes}] }`
  })
  const cold = Array.from({ length: coldUnits }, (_, i) => `  - { id: C${i}, name: Fridge ${i}, class: chilled, device: cold-${i} }`)
  return `store: { id: bench, name: ${name} }
listeners:
  mqtt: { host: 127.0.0.1, port: 0 }
  http: { host: 127.0.0.1, port: 0 }
dataDir: ${JSON.stringify(join(dir, name, 'data'))}
log: { level: info }
broker: { publishRatePerSec: 1000, publishBurst: 1000 }
${process.env.BENCH_STORAGE_YAML ?? ""}
shelves:
${sh.join('\n')}
${cold.length ? `coldUnits:\n${cold.join('\n')}` : ''}
`
}

async function startGateway(name: string, yaml: string): Promise<{ child: ChildProcess; port: number; http: number }> {
  const file = join(dir, `${name}.yaml`)
  writeFileSync(file, yaml)
  // The environment of systemd/shelfgate-gateway.service (see GATEWAY_ENV).
  // GATEWAY_CWD runs the gateway of another checkout (an A/B comparison of two versions on a busy machine).
  const child = spawn(node, [...GATEWAY_NODE_FLAGS, 'gateway/cli/main.ts', 'gateway', '--config', file], { stdio: ['ignore', 'pipe', 'pipe'], cwd: process.env.GATEWAY_CWD ?? process.cwd(), env: GATEWAY_ENV })
  // BENCH_GATEWAY_LOG=file keeps the gateway's own output (its logs, or V8's --trace-gc lines).
  if (process.env.BENCH_GATEWAY_LOG) child.stdout?.pipe(createWriteStream(process.env.BENCH_GATEWAY_LOG))
  const m = await waitForLine(child, /"mqtt":(\d+),"http":(\d+)/).catch((err: unknown) => {
    child.kill('SIGKILL')
    throw err
  })
  return { child, port: Number(m[1]), http: Number(m[2]) }
}

async function metric(http: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${http}/metrics`)).text()
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN)
}

async function pipeline(devices: LoadDevice[], name: string): Promise<RunResult & { commits: number; rows: number }> {
  log('full pipeline: provisioning credentials')
  const yaml = storeYaml(name, N, 1, 0)
  // Low scrypt cost for provisioning speed only; the login path is the same.
  const passwords = await addDevices(join(dir, name, 'data'), devices.map((d) => ({ id: d.id, kind: 'shelf' as const })), 256)
  const { child, port, http } = await startGateway(name, yaml)
  log('full pipeline: gateway up')
  try {
    const r = await drive(`mqtt://127.0.0.1:${port}`, devices.map((d) => ({ ...d, password: passwords[d.id] })), child.pid as number, { mode: 'burst', messages: M, inflight: Number(args.inflight), ratePerSec: 0, durationMs: 0 })
    await new Promise((res) => setTimeout(res, 1100)) // the commit counters are sampled every second
    const commits = await metric(http, 'shelfgate_storage_commits_total')
    const rows = await metric(http, 'shelfgate_storage_rows_total')
    const acknowledged = r.sent + N * warmupMessages
    if (rows < acknowledged) throw new Error(`only ${rows} of ${acknowledged} acknowledged readings were committed: the burst must measure durable readings`)
    return { ...r, commits, rows }
  } finally {
    child.kill('SIGTERM')
    await new Promise((r) => child.once('exit', r))
  }
}

/** DESIGN §1 reference store: 120 lanes at 2 Hz (10 shelves of 12 lanes on 10 boards) and 24 cold units every 30 s. */
async function reference(): Promise<{ steadyRssMb: number; bytesPerDay: number; readingsPerSec: number; p99Ms: number }> {
  const seconds = Number(args['reference-seconds'])
  log(`reference store: ${seconds} s of steady load`)
  const lanes: LoadDevice[] = []
  for (let s = 0; s < 10; s++) for (let l = 0; l < 12; l++) lanes.push({ id: `dev-${s}`, topic: `shelfgate/bench/shelf/S${s}/L${l}/weight`, kind: 'shelf' })
  const cold: LoadDevice[] = Array.from({ length: 24 }, (_, i) => ({ id: `cold-${i}`, topic: `shelfgate/bench/cold/C${i}/temp`, kind: 'cold' }))
  const ids = [...new Set([...lanes, ...cold].map((d) => d.id))]
  const passwords = await addDevices(
    join(dir, 'reference', 'data'),
    [...ids.map((id) => ({ id, kind: id.startsWith('cold') ? ('cold' as const) : ('shelf' as const) })), { id: 'bench-watch', kind: 'service' as const }],
    256,
  )
  const { child, port, http } = await startGateway('reference', storeYaml('reference', 10, 12, 24))
  try {
    const pid = child.pid as number
    // What the gateway itself publishes (retained state, events, alerts) also costs SD-card writes.
    const watch = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: 'bench-watch', username: 'bench-watch', password: passwords['bench-watch'] as string, reconnectPeriod: 0 })
    const gatewayPublishes: Record<string, number> = {}
    watch.on('message', (topic) => {
      const family = topic.split('/').slice(2, 4).join('/')
      gatewayPublishes[family] = (gatewayPublishes[family] ?? 0) + 1
    })
    await watch.subscribeAsync(['shelfgate/bench/state/#', 'shelfgate/bench/events/#', 'shelfgate/bench/alerts/#'])
    // The first readings of every channel are all stored; measure the steady state after a warm-up.
    const warmupS = Number(args['reference-warmup'])
    let w0 = 0
    let c0 = 0
    const mark = setTimeout(async () => {
      w0 = writeBytes(pid)
      c0 = await metric(http, 'shelfgate_storage_commits_total')
    }, warmupS * 1000)
    // A shelf board publishes its 12 lanes; here each lane has its own connection ("dev-3-7").
    const all = [...lanes, ...cold].map((d, i) => ({ ...d, clientId: `${d.id}-${i}`, password: passwords[d.id] }))
    const r = await drive(`mqtt://127.0.0.1:${port}`, all, pid, {
      mode: 'steady',
      messages: 0,
      inflight: 1,
      ratePerSec: 2,
      durationMs: (seconds + warmupS) * 1000,
      pickChance: Number(args['picks-per-day']) / (120 * 2 * 86_400),
    })
    clearTimeout(mark)
    const written = writeBytes(pid) - w0
    const commits = (await metric(http, 'shelfgate_storage_commits_total')) - c0
    await watch.endAsync()
    log(`  gateway publishes during the run: ${JSON.stringify(gatewayPublishes)}`)
    const rows = await metric(http, 'shelfgate_storage_rows_total')
    const heap = await (await fetch(`http://127.0.0.1:${http}/metrics`)).text()
    const mb = (name: string) => (Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(heap)?.[1]) / 1e6).toFixed(0)
    log(`  memory: heap used ${mb('nodejs_heap_size_used_bytes')} MB of ${mb('nodejs_heap_size_total_bytes')} MB, external ${mb('nodejs_external_memory_bytes')} MB`)
    log(`  steady state: ${commits} commits in ${seconds} s, ${(written / Math.max(1, commits) / 1024).toFixed(1)} KiB written per commit (${rows} raw rows stored in all)`)
    const steady = r.rssSamples.slice(Math.floor(r.rssSamples.length / 2)).sort((a, b) => a - b)
    return { steadyRssMb: percentile(steady, 50), bytesPerDay: (written / seconds) * 86_400, readingsPerSec: r.sent / (seconds + warmupS), p99Ms: r.p99Ms }
  } finally {
    child.kill('SIGTERM')
    await new Promise((r2) => child.once('exit', r2))
  }
}

warmCompileCache()
const devices: LoadDevice[] = Array.from({ length: N }, (_, i) => ({ id: `dev-${i}`, topic: `shelfgate/bench/shelf/S${i}/L0/weight`, kind: 'shelf' }))
const out: Record<string, unknown> = { bench: 'ingest', machine: `${cpus().length} cores, ${cpus()[0]?.model ?? '?'}`, node: process.version, clients: N, messagesPerClient: M }
try {
  if (args.profile !== 'reference') {
    // Bare aedes and the gateway take turns, `rounds` times: this machine's speed drifts by ±15 %
    // over minutes (other tenants), and a ratio from one pair of runs drifts with it.
    const bares: RunResult[] = []
    const pipes: (RunResult & { commits: number; rows: number })[] = []
    for (let round = 1; round <= rounds; round++) {
      log(`round ${round} of ${rounds}`)
      const b = await bare(devices)
      log(`bare aedes:    ${b.readingsPerSec.toFixed(0)} msgs/s, PUBACK p50 ${b.p50Ms.toFixed(1)} ms p99 ${b.p99Ms.toFixed(1)} ms, peak RSS ${b.rssMb.toFixed(0)} MB, ${b.cpuUsPerMsg.toFixed(1)} µs CPU/msg`)
      const p = await pipeline(devices, `burst${round}`)
      log(`  ${p.commits} commits of ${p.rows} rows (${(p.rows / Math.max(1, p.commits)).toFixed(0)} per commit): every reading stored`)
      log(`full pipeline: ${p.readingsPerSec.toFixed(0)} readings/s, PUBACK p50 ${p.p50Ms.toFixed(1)} ms p99 ${p.p99Ms.toFixed(1)} ms, peak RSS ${p.rssMb.toFixed(0)} MB, ${p.cpuUsPerMsg.toFixed(1)} µs CPU/msg`)
      bares.push(b)
      pipes.push(p)
    }
    const median = <T,>(runs: T[], of: (r: T) => number) => percentile(runs.map(of).sort((x, y) => x - y), 50)
    const p = { readingsPerSec: median(pipes, (r) => r.readingsPerSec), p50Ms: median(pipes, (r) => r.p50Ms), p99Ms: median(pipes, (r) => r.p99Ms), rssMb: median(pipes, (r) => r.rssMb), cpuUsPerMsg: median(pipes, (r) => r.cpuUsPerMsg) }
    const b = { readingsPerSec: median(bares, (r) => r.readingsPerSec), p99Ms: median(bares, (r) => r.p99Ms), rssMb: median(bares, (r) => r.rssMb), cpuUsPerMsg: median(bares, (r) => r.cpuUsPerMsg) }
    const ratio = p.readingsPerSec / b.readingsPerSec
    log(`medians of ${rounds} rounds: full pipeline ${p.readingsPerSec.toFixed(0)} readings/s (p99 ${p.p99Ms.toFixed(0)} ms), bare aedes ${b.readingsPerSec.toFixed(0)} msgs/s`)
    log(`ratio: ${(ratio * 100).toFixed(0)} % of bare aedes (goal ≥ 70 %; goal ≥ 40,000 durable readings/s)`)
    Object.assign(out, {
      rounds,
      readingsPerSec: Math.round(p.readingsPerSec),
      p50Ms: +p.p50Ms.toFixed(2),
      p99Ms: +p.p99Ms.toFixed(2),
      rssMb: Math.round(p.rssMb),
      cpuUsPerReading: +p.cpuUsPerMsg.toFixed(1),
      bareAedesPerSec: Math.round(b.readingsPerSec),
      bareCpuUsPerMsg: +b.cpuUsPerMsg.toFixed(1),
      bareP99Ms: +b.p99Ms.toFixed(2),
      bareRssMb: Math.round(b.rssMb),
      ratioVsBareAedes: +ratio.toFixed(3),
      readingsPerSecByRound: pipes.map((r) => Math.round(r.readingsPerSec)),
      bareAedesPerSecByRound: bares.map((r) => Math.round(r.readingsPerSec)),
    })
  }
  if (args.profile !== 'burst') {
    const r = await reference()
    log(`reference store: steady RSS ${r.steadyRssMb.toFixed(0)} MB (goal < 150), ${(r.bytesPerDay / 1e6).toFixed(1)} MB written/day (goal ≤ 200), ${r.readingsPerSec.toFixed(0)} readings/s, p99 ${r.p99Ms.toFixed(1)} ms`)
    Object.assign(out, { referenceRssMb: Math.round(r.steadyRssMb), referenceMbWrittenPerDay: +(r.bytesPerDay / 1e6).toFixed(1), referenceReadingsPerSec: Math.round(r.readingsPerSec) })
  }
} finally {
  if (process.env.BENCH_KEEP) log(`kept ${dir} (BENCH_KEEP)`)
  else rmSync(dir, { recursive: true, force: true })
}
console.log(JSON.stringify(out))
