import { flushCompileCache } from 'node:module'
import { createLogger } from '../../core/log.ts'
import { startGateway } from '../../gateway.ts'
import type { Command } from '../command.ts'
import { configFrom, configOption } from '../configLoad.ts'
import { untilSignal } from '../signals.ts'

export const gatewayCommand: Command = {
  name: 'gateway',
  usage: 'gateway [--config FILE]',
  summary: 'Run the gateway: MQTT broker, ingest, rules and the HTTP side (/healthz, /metrics). Stops cleanly on SIGINT/SIGTERM.',
  options: { config: configOption },
  async run(values) {
    const { config } = configFrom(values)
    const log = createLogger(config.log.level)
    const gw = await startGateway({ config, log })
    // With NODE_COMPILE_CACHE set (the systemd unit does), write the compiled and type-stripped
    // modules now rather than at exit: the next start then skips TypeScript stripping, whose
    // compiler stays resident (~19 MB of RSS on a Pi that does not need it after start-up).
    flushCompileCache()
    await untilSignal()
    await gw.stop()
    return 0
  },
}
