/**
 * GPIO input pins through `onoff` (sysfs GPIO on the Raspberry Pi). Loaded lazily: only a store with
 * `gpio:` entries needs it, and only on the Pi does it work. Anything else gets an error that says why.
 */
export type Level = 0 | 1

export interface InputPin {
  read(): Promise<Level>
  watch(callback: (err: Error | null | undefined, value: Level) => void): void
  unwatchAll(): void
  unexport(): void
}

export interface InputPinOptions {
  /** Contact bounce filter (onoff's debounceTimeout), ms. */
  debounceMs: number
}

export async function openGpioInput(pin: number, opts: InputPinOptions): Promise<InputPin> {
  let onoff: { Gpio: { accessible: boolean; new (pin: number, direction: 'in', edge: 'both', options: { debounceTimeout: number }): InputPin } }
  try {
    onoff = (await import('onoff')) as never
  } catch (err) {
    throw new Error(`GPIO ${pin}: the onoff module does not load here (${(err as Error).message.split('\n')[0]}); on the Pi, rebuild it for the service's Node with "npm rebuild epoll"`)
  }
  if (!onoff.Gpio.accessible) {
    throw new Error(`GPIO ${pin}: this machine has no GPIO (/sys/class/gpio); run the adapter on the Raspberry Pi, or remove the gpio: entries`)
  }
  return new onoff.Gpio(pin, 'in', 'both', { debounceTimeout: opts.debounceMs })
}
