/**
 * One Modbus connection (TCP or RTU over a serial port) through `modbus-serial`: connect with a
 * deadline, read a planned block, close. Each connect makes a fresh client, so a half-open TCP
 * socket or a confused serial port is thrown away rather than reused after a failure.
 */
import { ModbusRTU } from './modbusSerial.ts'
import type { Block } from './readPlan.ts'

export interface ModbusLinkOptions {
  tcp?: { host: string; port: number } | undefined
  port?: string | undefined
  baudRate: number
  dataBits: 7 | 8
  parity: 'none' | 'even' | 'odd'
  stopBits: 1 | 2
  unit: number
  timeoutMs: number
}

export class ModbusLink {
  readonly #o: ModbusLinkOptions
  #client: ModbusRTU | undefined
  #closed = false

  constructor(o: ModbusLinkOptions) {
    this.#o = o
  }

  get where(): string {
    return this.#o.tcp ? `tcp ${this.#o.tcp.host}:${this.#o.tcp.port}` : `rtu ${this.#o.port}`
  }

  get connected(): boolean {
    return this.#client?.isOpen === true && !this.#closed
  }

  async connect(): Promise<void> {
    await this.close()
    this.#closed = false
    const client = new ModbusRTU()
    this.#client = client
    // modbus-serial emits 'error' on port errors; without a listener that would crash the process.
    client.on('error', () => {})
    client.on('close', () => {
      if (this.#client === client) this.#closed = true
    })
    const o = this.#o
    const opening = o.tcp
      ? client.connectTCP(o.tcp.host, { port: o.tcp.port })
      : client.connectRTUBuffered(o.port as string, { baudRate: o.baudRate, dataBits: o.dataBits, parity: o.parity, stopBits: o.stopBits })
    await withDeadline(opening, o.timeoutMs * 4, `connect to ${this.where} timed out`).catch(async (err: unknown) => {
      await this.close()
      throw err
    })
    client.setID(o.unit)
    client.setTimeout(o.timeoutMs)
  }

  async read(b: Block): Promise<number[] | boolean[]> {
    const c = this.#client
    if (!c || !this.connected) throw new Error(`${this.where}: not connected`)
    // modbus-serial's own timeout covers the request; the outer deadline guards a port that never calls back.
    const deadline = this.#o.timeoutMs + 200
    switch (b.table) {
      case 'holding':
        return (await withDeadline(c.readHoldingRegisters(b.address, b.count), deadline, 'Timed out')).data
      case 'input':
        return (await withDeadline(c.readInputRegisters(b.address, b.count), deadline, 'Timed out')).data
      case 'coil':
        return (await withDeadline(c.readCoils(b.address, b.count), deadline, 'Timed out')).data.slice(0, b.count)
      case 'discrete':
        return (await withDeadline(c.readDiscreteInputs(b.address, b.count), deadline, 'Timed out')).data.slice(0, b.count)
    }
  }

  async close(): Promise<void> {
    const c = this.#client
    this.#client = undefined
    this.#closed = true
    if (!c) return
    await new Promise<void>((resolve) => {
      const done = setTimeout(resolve, 500)
      try {
        const finish = () => {
          clearTimeout(done)
          resolve()
        }
        // TCP: destroy, not close (close waits for the peer's FIN, which a hung device never sends).
        // RTU: close, because the buffered serial port has no destroy and would stay open.
        if (this.#o.tcp) c.destroy(finish)
        else if (c.isOpen) c.close(finish)
        else finish()
      } catch {
        clearTimeout(done)
        resolve()
      }
    })
  }
}

function withDeadline<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms)
  })
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer))
}
