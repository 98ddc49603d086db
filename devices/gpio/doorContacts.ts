/**
 * Door contacts wired to the Pi's GPIO (e.g. a reed switch on the dairy fridge): each change becomes a
 * canonical `cold.door` reading of its cold unit, published as the `gpio` device like any adapter.
 */
import type { StoreConfig } from '../../gateway/config/schema.ts'
import type { Clock } from '../../gateway/core/clock.ts'
import type { ReadingOutlet } from '../adapters/outlet.ts'
import type { InputPin, InputPinOptions, Level } from './pins.ts'

/** The MQTT login GPIO readings are published with (`shelfgate device add gpio`). */
export const GPIO_DEVICE = 'gpio'

export interface GpioDoor {
  pin: number
  unit: string
  debounceMs: number
  /** Pin level that means "open": a reed switch to ground with a pull-up reads 1 when the magnet leaves. */
  openLevel: Level
}

/** `gpio: [{ pin: 17, role: door, coldUnit: F1, debounceMs: 50, openWhen: high|low }]` */
export function gpioDoorsOf(config: StoreConfig): GpioDoor[] {
  return config.gpio
    .filter((g) => g.role === 'door' && typeof g.coldUnit === 'string')
    .map((g) => ({
      pin: g.pin,
      unit: g.coldUnit as string,
      debounceMs: typeof g.debounceMs === 'number' ? g.debounceMs : 50,
      openLevel: g.openWhen === 'low' ? 0 : 1,
    }))
}

export interface GpioDoorContactsOptions {
  doors: GpioDoor[]
  outlet: ReadingOutlet
  openPin: (pin: number, opts: InputPinOptions) => Promise<InputPin>
  clock: Clock
  log?: (level: 'info' | 'warn', msg: string) => void
}

export class GpioDoorContacts {
  readonly #o: GpioDoorContactsOptions
  readonly #pins: InputPin[] = []
  readonly #last = new Map<number, boolean>()

  constructor(o: GpioDoorContactsOptions) {
    this.#o = o
  }

  async start(): Promise<void> {
    for (const door of this.#o.doors) {
      const pin = await this.#o.openPin(door.pin, { debounceMs: door.debounceMs })
      this.#pins.push(pin)
      this.#report(door, await pin.read())
      pin.watch((err, value) => {
        if (err) return this.#o.log?.('warn', `GPIO ${door.pin} (${door.unit} door): ${err.message}`)
        this.#report(door, value)
      })
    }
    this.#o.outlet.status({ online: true })
  }

  #report(door: GpioDoor, level: Level): void {
    const open = level === door.openLevel
    if (this.#last.get(door.pin) === open) return
    this.#last.set(door.pin, open)
    this.#o.outlet.reading({ kind: 'cold.door', unit: door.unit, open, ts: this.#o.clock.now() })
  }

  stop(): void {
    for (const pin of this.#pins) {
      pin.unwatchAll()
      pin.unexport()
    }
    this.#pins.length = 0
  }
}
