import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startSimulator } from '../../../firmware-sim/sim.ts'
import { loadConfig } from '../../config/load.ts'
import { createLogger } from '../../core/log.ts'
import { DEMO_DEVICES, demoConfigYaml } from '../../demo/demoConfig.ts'
import { startGateway } from '../../gateway.ts'
import { addDevice, hashPassword } from '../../security/credentials.ts'
import { randomBytes } from 'node:crypto'
import { opt, UsageError, type Command } from '../command.ts'
import { untilSignal } from '../signals.ts'

function portOf(v: string | boolean | undefined, name: string): number {
  const n = Number(v)
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--${name} must be a port number 0–65535 (got "${String(v)}")`)
  return n
}

export const demoCommand: Command = {
  name: 'demo',
  usage: 'demo [--host 127.0.0.1] [--mqtt-port 1883] [--http-port 8080] [--keep]',
  summary: 'Start the gateway on an embedded demo store config in a fresh temporary data dir, with simulated shelves, fridges and a locker.',
  options: {
    host: opt({ type: 'string', description: 'address to listen on', default: '127.0.0.1' }),
    'mqtt-port': opt({ type: 'string', description: 'MQTT port (0 = any free port)', default: '1883' }),
    'http-port': opt({ type: 'string', description: 'HTTP port: /healthz, /metrics (0 = any free port)', default: '8080' }),
    keep: opt({ type: 'boolean', description: 'keep the temporary data dir on exit' }),
    'log-level': opt({ type: 'string', description: 'gateway log level', default: 'info' }),
  },
  async run(values) {
    const host = String(values.host)
    const dir = mkdtempSync(join(tmpdir(), 'shelfgate-demo-'))
    const configFile = join(dir, 'store.yaml')
    // A fresh staff password each run: the staff page is behind a login even in the demo.
    const staffPassword = randomBytes(6).toString('base64url')
    writeFileSync(configFile, demoConfigYaml(join(dir, 'data'), { host, mqtt: portOf(values['mqtt-port'], 'mqtt-port'), http: portOf(values['http-port'], 'http-port') }, await hashPassword(staffPassword)))
    const config = loadConfig(configFile)
    config.log.level = String(values['log-level']) as typeof config.log.level

    console.error(`demo: provisioning ${DEMO_DEVICES.length} simulated devices with their own credentials...`)
    const credentials: Record<string, string> = {}
    for (const id of DEMO_DEVICES) credentials[id] = await addDevice(config.dataDir, id, id.split('-')[0] as 'shelf')
    writeFileSync(join(dir, 'demo-credentials.json'), JSON.stringify(credentials, null, 2), { mode: 0o600 })

    const gw = await startGateway({ config, log: createLogger(config.log.level) }).catch((err: unknown) => {
      rmSync(dir, { recursive: true, force: true })
      throw err
    })
    const sim = await startSimulator({ config, url: `mqtt://${host === '0.0.0.0' ? '127.0.0.1' : host}:${gw.ports.mqtt}`, credentials, onProgress: (s) => console.error(s) })
    const shown = host === '0.0.0.0' ? '127.0.0.1' : host
    console.log(
      [
        '',
        'Shelfgate demo is running.',
        `  Staff page    http://${shown}:${gw.ports.http}/   (user: manager, password: ${staffPassword})`,
        `  MQTT broker   mqtt://${shown}:${gw.ports.mqtt}   (devices log in with their own credentials)`,
        `  Health        http://${shown}:${gw.ports.http}/healthz`,
        `  Metrics       http://${shown}:${gw.ports.http}/metrics`,
        `  Config        ${configFile}`,
        `  Data dir      ${config.dataDir}${values.keep ? ' (kept on exit)' : ' (removed on exit; --keep keeps it)'}`,
        '',
        'Press Ctrl-C to stop.',
        '',
      ].join('\n'),
    )
    await untilSignal()
    console.error('demo: stopping...')
    await sim.stop()
    await gw.stop()
    if (!values.keep) rmSync(dir, { recursive: true, force: true })
    console.error('demo: stopped')
    return 0
  },
}
