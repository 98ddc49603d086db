import { readFileSync } from 'node:fs'
import { startSimulator } from '../../../firmware-sim/sim.ts'
import { opt, UsageError, type Command } from '../command.ts'
import { configFrom, configOption } from '../configLoad.ts'
import { untilSignal } from '../signals.ts'

export const simCommand: Command = {
  name: 'sim',
  usage: 'sim --credentials FILE [--config FILE] [--url mqtt://HOST:PORT]',
  summary: "Simulate the store's devices (shelves, cold units, lockers) against a gateway, each with its own credentials.",
  options: {
    config: configOption,
    credentials: opt({ type: 'string', description: 'JSON file {"device-id": "password", ...}' }),
    url: opt({ type: 'string', description: "broker URL; default: the config's MQTT listener" }),
    seed: opt({ type: 'string', description: 'random seed for reproducible runs', default: '1' }),
  },
  async run(values) {
    const { config } = configFrom(values)
    if (typeof values.credentials !== 'string') throw new UsageError('sim needs --credentials FILE (a JSON map of device id to password)')
    const credentials = JSON.parse(readFileSync(values.credentials, 'utf8')) as Record<string, string>
    const l = config.listeners.mqtt
    const url = (values.url as string | undefined) ?? `mqtt://${l.host === '0.0.0.0' ? '127.0.0.1' : l.host}:${l.port}`
    const sim = await startSimulator({ config, url, credentials, seed: Number(values.seed), onProgress: (s) => console.error(s) })
    console.error(`sim: ${Object.keys(credentials).length} devices publishing to ${url}; Ctrl-C stops`)
    const progress = setInterval(() => console.error(`sim: ${sim.published()} messages published`), 10_000)
    await untilSignal()
    clearInterval(progress)
    await sim.stop()
    return 0
  },
}
