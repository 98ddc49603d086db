/**
 * A simulated Modbus RTU device (modbus-serial's ServerSerial) on a serial port, e.g. one end of a
 * socat pty pair: the same register image and fault injection as the TCP simulator.
 */
import { ServerSerial } from '../../devices/adapters/modbus/modbusSerial.ts'
import { emptyImage, type RegisterImage } from './registerImage.ts'
import { registerVector } from './registerVector.ts'

export interface ModbusRtuSimOptions {
  path: string
  baudRate?: number
  unitId?: number
  refresh?: (img: RegisterImage, now: number) => void
  image?: RegisterImage
}

export interface ModbusRtuSim {
  readonly image: RegisterImage
  readonly answered: number
  mute(on: boolean): void
  close(): Promise<void>
}

export async function startModbusRtuSim(o: ModbusRtuSimOptions): Promise<ModbusRtuSim> {
  const image = o.image ?? emptyImage()
  const dev = registerVector(image, o.refresh)
  const server = await new Promise<ServerSerial>((resolve, reject) => {
    const s: ServerSerial = new ServerSerial(dev.vector, {
      path: o.path,
      baudRate: o.baudRate ?? 9600,
      unitID: o.unitId ?? 1,
      openCallback: (err) => (err ? reject(err) : resolve(s)),
    })
    s.on('error', () => {})
    s.on('socketError', () => {})
  })
  let closed = false
  return {
    image,
    get answered() {
      return dev.answered
    },
    mute: dev.mute,
    close: () =>
      new Promise<void>((resolve) => {
        if (closed) return resolve()
        closed = true
        const done = setTimeout(resolve, 1000)
        server.close(() => {
          clearTimeout(done)
          resolve()
        })
      }),
  }
}
