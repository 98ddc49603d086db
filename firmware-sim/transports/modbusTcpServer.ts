/**
 * A simulated Modbus TCP device (modbus-serial's ServerTCP) on 127.0.0.1: answers reads from a
 * register image that `refresh(image, now)` updates before each request, so the firmware-sim models
 * (lanes, fridges) advance with the polling. An address outside the image gets the "illegal data
 * address" exception, as a real device answers.
 *
 * Fault injection: `mute(true)` keeps the connection but never answers (a hung device or a broken
 * RS485 line behind a gateway); `close()` drops the listener and every connection; `restart()`
 * listens again on the same port.
 */
import { createServer } from 'node:net'
import { ServerTCP } from '../../devices/adapters/modbus/modbusSerial.ts'
import { emptyImage, type RegisterImage } from './registerImage.ts'
import { registerVector } from './registerVector.ts'

export interface ModbusTcpSimOptions {
  /** 0 or absent: a free ephemeral port. */
  port?: number
  unitId?: number
  refresh?: (img: RegisterImage, now: number) => void
  image?: RegisterImage
}

export interface ModbusTcpSim {
  readonly port: number
  readonly image: RegisterImage
  /** Requests answered so far. */
  readonly answered: number
  mute(on: boolean): void
  close(): Promise<void>
  restart(): Promise<void>
}

/** ServerTCP treats port 0 as "use 502", so find a free port first. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address()
      s.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))))
    })
  })
}

export async function startModbusTcpSim(o: ModbusTcpSimOptions = {}): Promise<ModbusTcpSim> {
  const image = o.image ?? emptyImage()
  const dev = registerVector(image, o.refresh)
  const vector = dev.vector

  const port = o.port || (await freePort())
  let server: ServerTCP | undefined

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = new ServerTCP(vector, { host: '127.0.0.1', port, unitID: o.unitId ?? 255 })
      s.once('initialized', () => {
        server = s
        resolve()
      })
      s.once('serverError', (err: Error) => reject(err))
      s.on('socketError', () => {})
      s.on('error', () => {})
    })
  const close = () =>
    new Promise<void>((resolve) => {
      const s = server
      server = undefined
      if (!s) return resolve()
      s.close(() => resolve())
    })

  await listen()
  return {
    port,
    image,
    get answered() {
      return dev.answered
    },
    mute: dev.mute,
    close,
    async restart() {
      await close()
      await listen()
    },
  }
}
