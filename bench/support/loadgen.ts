/**
 * Load generator process for bench/ingest.ts (run several: one Node process cannot drive 1,000
 * MQTT clients at full speed on its own). Driven over IPC:
 *   parent → {type:'start', url, devices, mode, ...}   child → {type:'ready'}
 *   parent → {type:'warmup', messages}  (burst, optional)  child → {type:'warmed'}
 *   parent → {type:'go'}                               child → {type:'done', sent, latenciesMs, cpuSeconds}
 */
import mqtt, { type MqttClient } from 'mqtt'
import { gaussian, seededRandom } from '../../firmware-sim/random.ts'

export interface LoadDevice {
  id: string
  /** Defaults to id; several connections of one board use "{id}-{n}". */
  clientId?: string
  password?: string
  topic: string
  kind: 'shelf' | 'cold'
}

export interface StartMessage {
  type: 'start'
  url: string
  devices: LoadDevice[]
  /** burst: `messages` per client as fast as `inflight` allows; steady: `ratePerSec` per client for `durationMs`. */
  mode: 'burst' | 'steady'
  messages: number
  inflight: number
  ratePerSec: number
  durationMs: number
  seed: number
  /** Steady mode: chance per lane reading of a pick. */
  pickChance?: number
}

const send = (m: unknown) => process.send?.(m)

/** Chance per lane reading that a customer takes an item (set by the parent from picks per day). */
let pickChance = 0.002

function payloadFor(d: LoadDevice, seq: number, rand: () => number, state: { value: number; phase: number }): string {
  if (d.kind === 'cold') {
    // Compressor cycling: ±1 °C over 20 minutes, plus probe noise.
    const c = 3.5 + Math.sin(((Date.now() / 1_200_000) + state.phase) * 2 * Math.PI) + gaussian(rand) * 0.05
    return `{"c":${c.toFixed(2)},"seq":${seq}}`
  }
  // A lane: a stable weight with sensor noise, and now and then a customer takes an item.
  if (rand() < pickChance) state.value = state.value < 262 ? 262 * 20 : state.value - 262
  return `{"g":${(state.value + gaussian(rand) * 0.5).toFixed(1)},"seq":${seq}}`
}

async function connectAll(url: string, devices: LoadDevice[]): Promise<MqttClient[]> {
  const clients: MqttClient[] = []
  // Connect in waves: a thousand simultaneous TLS-less logins is a reconnect storm, not the measurement.
  for (let i = 0; i < devices.length; i += 50) {
    const wave = devices.slice(i, i + 50).map(
      (d) =>
        new Promise<MqttClient>((resolve, reject) => {
          const c = mqtt.connect(url, { clientId: d.clientId ?? d.id, username: d.password ? d.id : undefined, password: d.password, reconnectPeriod: 0, connectTimeout: 30_000, protocolVersion: 4 })
          c.once('connect', () => resolve(c))
          c.once('error', reject)
        }),
    )
    clients.push(...(await Promise.all(wave)))
  }
  return clients
}

type Control = { type: 'go' } | { type: 'warmup'; messages: number }

process.on('message', async (m: StartMessage | Control) => {
  if (m.type !== 'start') return
  const msg: StartMessage = m
  const rand = seededRandom(msg.seed)
  if (msg.pickChance !== undefined) pickChance = msg.pickChance
  const clients = await connectAll(msg.url, msg.devices)
  send({ type: 'ready' })
  let next = await new Promise<Control>((r) => process.once('message', (m) => r(m as Control)))
  let latencies: number[] = []
  let sent = 0
  // Per client: the next seq, carried from the warm-up into the measured burst.
  const seqs = new Map<MqttClient, number>()
  if (next.type === 'warmup') {
    const rounds = next.messages
    await Promise.all(clients.map((c, i) => runClient(c, msg.devices[i] as LoadDevice, rounds)))
    latencies = []
    sent = 0
    send({ type: 'warmed' })
    next = await new Promise<Control>((r) => process.once('message', (m) => r(m as Control)))
  }
  const cpu0 = process.cpuUsage()
  function runClient(c: MqttClient, d: LoadDevice, messages = msg.messages): Promise<void> {
    return new Promise<void>((resolve) => {
      const state = { value: d.kind === 'cold' ? 3.5 : 262 * 20, phase: rand() }
      let seq = seqs.get(c) ?? 0
      const last = seq + messages
      let inFlight = 0
      if (msg.mode === 'burst') {
        const pump = () => {
          while (inFlight < msg.inflight && seq < last) {
            const t0 = performance.now()
            inFlight++
            // Every burst reading moves by 500 g, past any deadband: each one is committed before its PUBACK.
            const n = seq++
            c.publish(d.topic, `{"g":${1000 + (n % 2) * 500},"seq":${n}}`, { qos: 1 }, () => {
              latencies.push(performance.now() - t0)
              sent++
              inFlight--
              if (seq < last || inFlight > 0) return pump()
              seqs.set(c, seq)
              resolve()
            })
          }
        }
        pump()
      } else {
        const rate = d.kind === 'cold' ? 1 / 30 : msg.ratePerSec
        // Start each device at a random phase, as real boards do, and stop all at the same moment.
        let timer: ReturnType<typeof setInterval> | undefined
        const phase = setTimeout(() => {
          timer = setInterval(() => {
            const t0 = performance.now()
            c.publish(d.topic, payloadFor(d, seq++, rand, state), { qos: 1 }, () => {
              latencies.push(performance.now() - t0)
              sent++
            })
          }, 1000 / rate)
        }, rand() * (1000 / rate))
        setTimeout(() => {
          clearTimeout(phase)
          if (timer) clearInterval(timer)
          resolve()
        }, msg.durationMs)
      }
    })
  }
  await Promise.all(clients.map((c, i) => runClient(c, msg.devices[i] as LoadDevice)))
  const cpu = process.cpuUsage(cpu0)
  await Promise.all(clients.map((c) => c.endAsync()))
  // IPC is asynchronous: exit only once the (large) result has been handed over.
  process.send?.({ type: 'done', sent, latenciesMs: latencies, cpuSeconds: (cpu.user + cpu.system) / 1e6 }, () => process.exit(0))
})
