import { registryOf } from '../../config/devices.ts'
import { loadConfig } from '../../config/load.ts'
import { UsageError, type Command } from '../command.ts'

export const configCheck: Command = {
  name: 'config check',
  usage: 'config check FILE',
  summary: 'Validate a store config file and print a summary. Exit code 2 and file:line errors when it is broken.',
  options: {},
  async run(_values, positionals) {
    const file = positionals[0]
    if (!file) throw new UsageError('config check needs a FILE (e.g. shelfgate config check /etc/shelfgate/store.yaml)')
    const config = loadConfig(file)
    const registry = registryOf(config)
    const lanes = config.shelves.reduce((n, s) => n + s.lanes.length, 0)
    console.log(
      `${file}: OK — store ${config.store.id} (${config.store.name}): ${registry.devices.size} devices, ` +
        `${config.shelves.length} shelves / ${lanes} lanes, ${config.coldUnits.length} cold units, ${config.lockers.length} lockers`,
    )
    return 0
  },
}
