import { readFileSync } from 'node:fs'
import { parse as parseYaml } from 'yaml'
import { AdapterConfigError, resolveAdapters } from '../../../devices/adapters/config.ts'
import { loadCredentials, passwordEnvName } from '../../../devices/adapters/credentials.ts'
import { planReads } from '../../../devices/adapters/modbus/readPlan.ts'
import { coldProfile, weightProfile } from '../../../devices/adapters/modbus/profiles.ts'
import { runAdapters } from '../../../devices/adapters/run.ts'
import { describeLockBoard } from '../../../devices/adapters/lockBoard/describe.ts'
import { createLogger } from '../../core/log.ts'
import { opt, UsageError, type Command } from '../command.ts'
import { configFrom, configOption } from '../configLoad.ts'
import { untilSignal } from '../signals.ts'

export const adapterCommand: Command = {
  name: 'adapter',
  usage: 'adapter [--config FILE] [--adapters FILE] [--credentials FILE] [--url mqtt://HOST:PORT] [--check]',
  summary: 'Run the hardware adapters (serial load-cell boards, Modbus weight transmitters and refrigeration controllers) and publish their readings to the gateway.',
  options: {
    config: configOption,
    adapters: opt({ type: 'string', description: 'YAML file with an "adapters:" list; default: the store config\'s "adapters" section' }),
    credentials: opt({ type: 'string', description: 'JSON file {"device-id": "password", ...} (or $SHELFGATE_CREDENTIALS)' }),
    url: opt({ type: 'string', description: "broker URL; default: the config's MQTT listener" }),
    check: opt({ type: 'boolean', description: 'validate the adapter config, print what would be polled, and exit' }),
  },
  details: [
    'Each adapter logs in as its device (create the password with "shelfgate device add ID").',
    `A password can also come from the environment: ${passwordEnvName('cold-z1')} for device cold-z1.`,
    'coldUnits[].modbus in the store config is shorthand for a modbus-cold adapter. See docs/adapters.md.',
  ].join('\n'),
  async run(values) {
    const { file, config } = configFrom(values)
    const source = typeof values.adapters === 'string' ? values.adapters : file
    let raw: unknown
    if (typeof values.adapters === 'string') {
      let text: string
      try {
        text = readFileSync(values.adapters, 'utf8')
      } catch (err) {
        throw new UsageError(`cannot read ${values.adapters}: ${(err as Error).message}`)
      }
      const doc: unknown = parseYaml(text)
      raw = doc && typeof doc === 'object' && !Array.isArray(doc) ? (doc as { adapters?: unknown }).adapters : doc
    } else {
      raw = (config as { adapters?: unknown }).adapters
    }
    let adapters
    try {
      adapters = resolveAdapters(raw, config, source)
    } catch (err) {
      if (err instanceof AdapterConfigError) {
        console.error(`adapter config error${err.problems.length > 1 ? 's' : ''}:\n${err.message}`)
        return 2
      }
      throw err
    }
    if (adapters.length === 0) {
      console.error(`no adapters configured in ${source} (see docs/adapters.md)`)
      return 2
    }
    if (values.check) {
      for (const a of adapters) {
        const where = 'tcp' in a && a.tcp ? `tcp ${a.tcp.host}:${a.tcp.port}` : `${a.port}`
        console.log(`${a.id}: ${a.kind} as ${a.device} on ${where}`)
        if (a.kind === 'serial-loadcell') {
          for (const c of a.channels) console.log(`  channel ${c.channel} → ${c.shelf}/${c.lane}`)
        } else if (a.kind === 'lock-board') {
          for (const line of describeLockBoard(a)) console.log(line)
        } else {
          const profile = a.kind === 'modbus-weight' ? weightProfile(a) : coldProfile(a.coldUnit, a.map)
          for (const b of planReads(profile.spans(), a.maxGap)) console.log(`  read ${b.table} ${b.address}…${b.address + b.count - 1} every ${a.pollMs} ms`)
          if (a.kind === 'modbus-cold') console.log(`  map ${a.mapName}${a.mapName === 'custom' ? '' : ' (built-in: verify its addresses against the controller manual)'}`)
        }
      }
      return 0
    }
    const credFile = typeof values.credentials === 'string' ? values.credentials : process.env.SHELFGATE_CREDENTIALS
    let credentials: Record<string, string>
    try {
      credentials = loadCredentials(adapters.map((a) => a.device), credFile)
    } catch (err) {
      throw new UsageError((err as Error).message)
    }
    const l = config.listeners.mqtt
    const url = (values.url as string | undefined) ?? `mqtt://${l.host === '0.0.0.0' ? '127.0.0.1' : l.host}:${l.port}`
    const logger = createLogger(config.log.level).child({ component: 'adapters' })
    let running
    try {
      running = await runAdapters({ store: config, adapters, url, credentials, log: (level, msg) => logger[level](msg) })
    } catch (err) {
      throw new UsageError((err as Error).message)
    }
    logger.info(`${running.adapters.length} adapter(s) publishing to ${url}; Ctrl-C stops`)
    await untilSignal()
    await running.stop()
    return 0
  },
}
