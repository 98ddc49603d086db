import { registryOf } from '../../config/devices.ts'
import { deviceKinds } from '../../config/schema.ts'
import { addDevice, readCredentials, revokeDevice, type PrincipalKind } from '../../security/credentials.ts'
import { opt, UsageError, type Command } from '../command.ts'
import { configFrom, configOption } from '../configLoad.ts'

const kinds = [...deviceKinds, 'service'] as const

export const deviceAdd: Command = {
  name: 'device add',
  usage: 'device add ID [--kind shelf|cold|locker|service] [--config FILE]',
  summary: 'Create (or replace) MQTT credentials for a device and print its password once. Only a scrypt hash is stored.',
  options: {
    config: configOption,
    kind: opt({ type: 'string', short: 'k', description: 'device kind; defaults to the kind the config gives the device' }),
  },
  details: 'The gateway picks up new credentials without a restart. The device logs in with username = ID.',
  async run(values, positionals) {
    const id = positionals[0]
    if (!id) throw new UsageError('device add needs the device ID')
    const { config } = configFrom(values)
    const known = registryOf(config).devices.get(id)
    const kind = (values.kind as string | undefined) ?? known?.kind
    if (!kind) throw new UsageError(`device "${id}" is not in the config; pass --kind (${kinds.join('|')}) to add it anyway`)
    if (!(kinds as readonly string[]).includes(kind)) throw new UsageError(`--kind must be one of ${kinds.join(', ')} (got "${kind}")`)
    if (known && kind !== known.kind) throw new UsageError(`the config says "${id}" is a ${known.kind} device, not ${kind}`)
    const password = await addDevice(config.dataDir, id, kind as PrincipalKind)
    console.log(`device ${id} (${kind}) added. Its MQTT password, shown only this once:\n\n  ${password}\n`)
    if (!known && kind !== 'service') console.error(`note: "${id}" is in no shelf, cold unit or locker of the config yet, so it may publish only its status.`)
    return 0
  },
}

export const deviceList: Command = {
  name: 'device list',
  usage: 'device list [--config FILE]',
  summary: 'List devices from the config and their credential state.',
  options: { config: configOption },
  async run(values) {
    const { config } = configFrom(values)
    const creds = readCredentials(config.dataDir).devices
    const registry = registryOf(config)
    const ids = new Set([...registry.devices.keys(), ...Object.keys(creds)])
    console.log(`${'DEVICE'.padEnd(24)} ${'KIND'.padEnd(8)} ${'SUBJECTS'.padEnd(20)} CREDENTIALS`)
    for (const id of [...ids].sort()) {
      const d = registry.devices.get(id)
      const c = creds[id]
      const state = !c ? 'none (run: shelfgate device add ' + id + ')' : c.revokedAt ? `revoked ${c.revokedAt}` : `active since ${c.createdAt}`
      console.log(`${id.padEnd(24)} ${(d?.kind ?? c?.kind ?? '?').padEnd(8)} ${[...(d?.subjects ?? [])].join(',').padEnd(20)} ${state}`)
    }
    return 0
  },
}

export const deviceRevoke: Command = {
  name: 'device revoke',
  usage: 'device revoke ID [--config FILE]',
  summary: "Revoke a device's credentials; a connected device is disconnected at once.",
  options: { config: configOption },
  async run(values, positionals) {
    const id = positionals[0]
    if (!id) throw new UsageError('device revoke needs the device ID')
    const { config } = configFrom(values)
    if (!revokeDevice(config.dataDir, id)) {
      console.error(`device "${id}" has no active credentials`)
      return 1
    }
    console.log(`device ${id} revoked`)
    return 0
  },
}
