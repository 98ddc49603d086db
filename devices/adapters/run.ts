/**
 * Starts the configured adapters, each with its own MQTT connection to the gateway as its device,
 * and stops them in reverse order. A failing adapter is logged and does not stop the others.
 */
import { GPIO_DEVICE, GpioDoorContacts, gpioDoorsOf } from '../gpio/doorContacts.ts'
import { openGpioInput, type InputPin, type InputPinOptions } from '../gpio/pins.ts'
import type { StoreConfig } from '../../gateway/config/schema.ts'
import type { Clock } from '../../gateway/core/clock.ts'
import type { ResolvedAdapter, ResolvedLockBoardConfig } from './config.ts'
import { LockBoardAdapter } from './lockBoard/lockBoardAdapter.ts'
import { mqttLockerLink, type LockerLink, type MqttLockerLink } from './lockBoard/lockerLink.ts'
import { modbusAdapterFrom } from './modbus/fromConfig.ts'
import { mqttOutlet, type MqttOutlet } from './mqttOutlet.ts'
import type { ReadingOutlet } from './outlet.ts'
import { SerialLoadCellAdapter } from './serialLoadCell/serialLoadCellAdapter.ts'

export type AdapterLog = (level: 'info' | 'warn' | 'debug', msg: string) => void

export interface RunAdaptersOptions {
  /** Opens a GPIO input (default: onoff on the Pi); tests pass simulated pins. */
  gpioPins?: (pin: number, opts: InputPinOptions) => Promise<InputPin>
  store: StoreConfig
  adapters: ResolvedAdapter[]
  /** Broker URL, e.g. mqtt://127.0.0.1:1883. */
  url: string
  /** device id → password. */
  credentials: Record<string, string>
  clock?: Clock
  log?: AdapterLog
  /** For tests: an outlet per adapter instead of MQTT. */
  outletFor?: (a: ResolvedAdapter) => ReadingOutlet
  /** For tests: a locker link per lock-board adapter instead of MQTT. */
  lockerLinkFor?: (a: ResolvedLockBoardConfig) => LockerLink
}

export interface RunningAdapter {
  id: string
  kind: ResolvedAdapter['kind'] | 'gpio-door'
  stats(): Record<string, number>
}

export interface RunningAdapters {
  adapters: RunningAdapter[]
  stop(): Promise<void>
}

/** Missing credentials, found before anything connects. */
export function missingCredentials(adapters: readonly ResolvedAdapter[], credentials: Record<string, string>): string[] {
  return [...new Set(adapters.map((a) => a.device))].filter((d) => !credentials[d])
}

export async function runAdapters(o: RunAdaptersOptions): Promise<RunningAdapters> {
  const log: AdapterLog = o.log ?? (() => {})
  const missing = o.outletFor || o.lockerLinkFor ? [] : missingCredentials(o.adapters, o.credentials)
  if (missing.length) throw new Error(`no password for device${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (create with: shelfgate device add ID)`)
  const stops: (() => Promise<void>)[] = []
  const running: RunningAdapter[] = []
  const doors = gpioDoorsOf(o.store)
  if (doors.length) {
    try {
      const out =
        o.outletFor?.({ id: 'gpio-doors', kind: 'gpio-door', device: GPIO_DEVICE } as never) ??
        mqttOutlet({ url: o.url, store: o.store.store.id, device: GPIO_DEVICE, adapterId: 'doors', password: o.credentials[GPIO_DEVICE] ?? '', onError: (err) => log('warn', `gpio: MQTT: ${err.message}`) })
      const contacts = new GpioDoorContacts({ doors, outlet: out, openPin: o.gpioPins ?? openGpioInput, clock: o.clock ?? { now: () => Date.now() }, log })
      await contacts.start()
      stops.push(async () => {
        contacts.stop()
        await (out as Partial<MqttOutlet>).close?.()
      })
      running.push({ id: 'gpio-doors', kind: 'gpio-door', stats: () => ({ doors: doors.length }) })
      log('info', `gpio: ${doors.length} door contact${doors.length > 1 ? 's' : ''} on pins ${doors.map((d) => d.pin).join(', ')}`)
    } catch (err) {
      log('warn', `gpio: door contacts not started: ${(err as Error).message}`)
    }
  }
  for (const a of o.adapters) {
    try {
      // How this adapter logs in to the gateway's broker, as its own device.
      const mqttAs = {
        url: o.url,
        store: o.store.store.id,
        device: a.device,
        adapterId: a.id,
        password: o.credentials[a.device] as string,
        onError: (err: Error) => log('warn', `${a.id}: MQTT: ${err.message}`),
      }
      if (a.kind === 'lock-board') {
        // Commands come in as well as events go out: the link subscribes to the locker's cmd/ topics.
        let mqttLink: MqttLockerLink | undefined
        const link =
          o.lockerLinkFor?.(a) ??
          (mqttLink = mqttLockerLink({ ...mqttAs, locker: a.locker }))
        const ad = new LockBoardAdapter({ config: a, link, log, ...(o.clock ? { clock: o.clock } : {}) })
        ad.start()
        running.push({ id: a.id, kind: a.kind, stats: () => ({ ...ad.stats(), ...mqttLink?.stats(), ...mqttLink?.outlet.stats() }) })
        stops.push(async () => {
          await ad.stop()
          await mqttLink?.close()
        })
        log('info', `${a.id}: ${a.kind} adapter started for device ${a.device} (locker ${a.locker}, boards ${a.boards.join(', ')})`)
        continue
      }
      let mqttOut: MqttOutlet | undefined
      const outlet =
        o.outletFor?.(a) ??
        (mqttOut = mqttOutlet(mqttAs))
      const opts = { log, ...(o.clock ? { clock: o.clock } : {}) }
      if (a.kind === 'serial-loadcell') {
        const ad = new SerialLoadCellAdapter({ config: a, outlet, ...opts })
        ad.start()
        running.push({ id: a.id, kind: a.kind, stats: () => ({ ...ad.stats(), ...mqttOut?.stats() }) })
        stops.push(async () => {
          await ad.stop()
          await mqttOut?.close()
        })
      } else {
        const ad = modbusAdapterFrom(a, outlet, opts)
        ad.start()
        running.push({ id: a.id, kind: a.kind, stats: () => ({ ...ad.stats, ...mqttOut?.stats() }) })
        stops.push(async () => {
          await ad.stop()
          await mqttOut?.close()
        })
      }
      log('info', `${a.id}: ${a.kind} adapter started for device ${a.device}`)
    } catch (err) {
      log('warn', `${a.id}: not started: ${(err as Error).message}`)
    }
  }
  return {
    adapters: running,
    async stop() {
      for (const s of stops.reverse()) await s().catch(() => {})
    },
  }
}
