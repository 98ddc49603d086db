/**
 * The request handlers ("service vector") of a simulated Modbus device, shared by the TCP and RTU
 * transports: reads answered from a register image refreshed by the models, "illegal data address"
 * outside it, and silence while muted (a hung device).
 */
import type { IServiceVector } from '../../devices/adapters/modbus/modbusSerial.ts'
import type { RegisterImage } from './registerImage.ts'

type Cb<T> = (err: Error | null, value: T) => void

const illegalAddress = () => Object.assign(new Error('illegal data address'), { modbusErrorCode: 0x02 })

export interface SimVector {
  vector: IServiceVector
  readonly answered: number
  mute(on: boolean): void
}

export function registerVector(image: RegisterImage, refreshImage?: (img: RegisterImage, now: number) => void): SimVector {
  let muted = false
  let answered = 0
  let lastRefresh = -1
  const refresh = () => {
    // One refresh per poll burst is enough; the reads of one poll arrive within a few ms.
    const now = Date.now()
    if (now - lastRefresh < 5) return
    lastRefresh = now
    refreshImage?.(image, now)
  }
  // Callback-style handlers (their arity tells modbus-serial which style); a muted device never calls back.
  const registers = (table: Map<number, number>) => ({
    one: (addr: number, _unit: number, cb: Cb<number>) => {
      if (muted) return
      refresh()
      const v = table.get(addr)
      if (v === undefined) return cb(illegalAddress(), 0)
      answered++
      cb(null, v)
    },
    many: (addr: number, length: number, _unit: number, cb: Cb<number[]>) => {
      if (muted) return
      refresh()
      const out: number[] = []
      for (let i = 0; i < length; i++) {
        const v = table.get(addr + i)
        if (v === undefined) return cb(illegalAddress(), [])
        out.push(v)
      }
      answered++
      cb(null, out)
    },
  })
  const bits = (table: Map<number, boolean>) => (addr: number, _unit: number, cb: Cb<boolean>) => {
    if (muted) return
    refresh()
    const v = table.get(addr)
    if (v === undefined) return cb(illegalAddress(), false)
    answered++
    cb(null, v)
  }
  const holding = registers(image.holding)
  const input = registers(image.input)
  const vector = {
    getHoldingRegister: holding.one,
    getMultipleHoldingRegisters: holding.many,
    getInputRegister: input.one,
    getMultipleInputRegisters: input.many,
    getCoil: bits(image.coils),
    getDiscreteInput: bits(image.discrete),
  } as IServiceVector
  return {
    vector,
    get answered() {
      return answered
    },
    mute(on) {
      muted = on
    },
  }
}
