/**
 * A simulated HX711-class multi-channel load-cell board on a serial port (one end of a pty pair):
 * prints a boot banner, then `channel,raw\r\n` for every channel at `hz` (10 or 80, like the real
 * boards), sampling the firmware-sim lane models. Fault injection: garbage lines, going silent.
 * If the port goes away (pty unplugged), the board stops; start a new one after replugging.
 */
import { SerialPort } from 'serialport'
import type { SimLane } from '../shelf/laneModel.ts'

export interface BoardChannel {
  channel: number
  /** Raw ADC counts at time `now`. */
  sample(now: number): number
}

export interface SerialBoardOptions {
  path: string
  baudRate?: number
  hz?: number
  channels: BoardChannel[]
  /** Simulation time for the models (default: wall clock). */
  now?: () => number
  banner?: string
}

export interface SerialBoard {
  /** Lines written so far (records only). */
  readonly lines: number
  /** Write arbitrary bytes (e.g. a garbled line) between records. */
  inject(text: string | Buffer): void
  /** Stop printing records while keeping the port open (a hung board). */
  silence(on: boolean): void
  readonly closed: boolean
  stop(): Promise<void>
}

export function laneChannel(channel: number, lane: SimLane): BoardChannel {
  return { channel, sample: (now) => lane.tick(now).raw }
}

export async function startSerialBoard(o: SerialBoardOptions): Promise<SerialBoard> {
  const port = new SerialPort({ path: o.path, baudRate: o.baudRate ?? 9600, autoOpen: false })
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())))
  const now = o.now ?? Date.now
  let lines = 0
  let silent = false
  let closed = false
  port.on('error', () => {})
  port.on('close', () => {
    closed = true
    clearInterval(timer)
  })
  port.write(o.banner ?? 'HX711x4 board v2.1 ready\r\n')
  const timer = setInterval(() => {
    if (silent || closed) return
    const t = now()
    let text = ''
    for (const c of o.channels) text += `${c.channel},${c.sample(t)}\r\n`
    lines += o.channels.length
    port.write(text)
  }, 1000 / (o.hz ?? 10))
  return {
    get lines() {
      return lines
    },
    get closed() {
      return closed
    },
    inject(text) {
      if (!closed) port.write(text)
    },
    silence(on) {
      silent = on
    },
    async stop() {
      clearInterval(timer)
      if (closed || !port.isOpen) return
      port.removeAllListeners('close')
      await new Promise<void>((resolve) => port.close(() => resolve()))
      closed = true
    },
  }
}
