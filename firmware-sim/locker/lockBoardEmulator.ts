/**
 * Puts a LockBoardSim on a serial port (one end of a socat pty pair, or a real USB–RS485 adapter),
 * so the gateway's driver can be tested end to end without a locker.
 */
import { SerialPort } from 'serialport'
import { FrameParser } from '../../devices/locker/lockBoard/frameParser.ts'
import type { LockBoardSim } from './lockBoardSim.ts'

export interface LockBoardEmulatorOptions {
  path: string
  sim: LockBoardSim
  baudRate?: number
  /** Board think time before replying (real boards take a few ms). */
  replyDelayMs?: number
}

export class LockBoardEmulator {
  readonly #o: LockBoardEmulatorOptions
  readonly #parser = new FrameParser('requests')
  #port: SerialPort | undefined
  #replying = 0
  /** Requests that arrived while a reply was still being prepared (the master did not wait). */
  collisions = 0

  constructor(opts: LockBoardEmulatorOptions) {
    this.#o = opts
  }

  start(): Promise<void> {
    const port = new SerialPort({ path: this.#o.path, baudRate: this.#o.baudRate ?? 9600, autoOpen: false })
    this.#port = port
    // The far end may vanish (tests unplug it); the emulator just goes quiet.
    port.on('error', () => {})
    port.on('data', (chunk: Buffer) => {
      for (const ev of this.#parser.push(chunk)) {
        if (!ev.ok) continue
        // On a real half-duplex bus a frame sent while a board is still answering collides with it.
        if (this.#replying > 0) this.collisions++
        const reply = this.#o.sim.handle(ev.frame)
        if (!reply) continue
        this.#replying++
        const send = (): void => {
          this.#replying--
          if (port.isOpen) port.write(reply)
        }
        if (this.#o.replyDelayMs) setTimeout(send, this.#o.replyDelayMs)
        else send()
      }
    })
    return new Promise((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())))
  }

  /** Writes raw bytes onto the line: noise for resync tests. */
  inject(bytes: Uint8Array): void {
    this.#port?.write(Buffer.from(bytes))
  }

  async stop(): Promise<void> {
    const port = this.#port
    this.#port = undefined
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()))
  }
}
