#!/usr/bin/env node
/** `shelfgate` CLI entry: dispatches to subcommands; each has --help. */
// First: before anything loads mqtt-packet (see quietDebug.ts).
import '../core/quietDebug.ts'
import { ConfigError } from '../config/load.ts'
import { StorageError } from '../store/errors.ts'
import { helpText, OperatorError, runCommand, UsageError, type Command } from './command.ts'
import { adapterCommand } from './commands/adapter.ts'
import { backupCommand, restoreCommand } from './commands/backup.ts'
import { calibrateCommand } from './commands/calibrate.ts'
import { configCheck } from './commands/configCheck.ts'
import { demoCommand } from './commands/demo.ts'
import { deviceAdd, deviceList, deviceRevoke } from './commands/device.ts'
import { gatewayCommand } from './commands/gateway.ts'
import { simCommand } from './commands/sim.ts'
import { reportHaccpCommand } from './commands/reportHaccp.ts'
import { staffHashPassword } from './commands/staffHashPassword.ts'

const commands: Command[] = [demoCommand, gatewayCommand, simCommand, adapterCommand, configCheck, deviceAdd, deviceList, deviceRevoke, backupCommand, restoreCommand, reportHaccpCommand, calibrateCommand, staffHashPassword]

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length))
  return [
    'Usage: shelfgate COMMAND [options]',
    '',
    'Shelfgate: IoT edge gateway and smart-shelf runtime for community retail stores.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary.split('. ')[0]}`),
    '',
    'Run "shelfgate COMMAND --help" for the options of a command.',
  ].join('\n')
}

export async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    console.log(usage())
    return argv.length === 0 ? 2 : 0
  }
  // Two-word commands ("config check", "device add") first, then one-word ones.
  const two = `${argv[0]} ${argv[1] ?? ''}`
  const cmd = commands.find((c) => c.name === two) ?? commands.find((c) => c.name === argv[0])
  if (!cmd) {
    const group = commands.filter((c) => c.name.startsWith(`${argv[0]} `))
    if (group.length) {
      console.error(`shelfgate ${argv[0]} needs a subcommand:\n${group.map((c) => `  shelfgate ${c.usage}`).join('\n')}`)
      return argv[1] === '--help' || argv[1] === '-h' ? 0 : 2
    }
    console.error(`unknown command "${argv[0]}"\n\n${usage()}`)
    return 2
  }
  const rest = argv.slice(cmd.name.split(' ').length)
  try {
    return await runCommand(cmd, rest)
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`config error${err.problems.length > 1 ? 's' : ''}:\n${err.message}`)
      return 2
    }
    if (err instanceof UsageError) {
      console.error(err.message)
      return 2
    }
    if (err instanceof OperatorError || err instanceof StorageError || (err as { operator?: boolean }).operator) {
      console.error(`shelfgate ${cmd.name}: ${(err as Error).message}`)
      return 1
    }
    console.error(`shelfgate ${cmd.name}: ${(err as Error).stack ?? String(err)}`)
    return 1
  }
}

void helpText
const code = await main(process.argv.slice(2))
process.exitCode = code
// Every command has finished its work here; a stray handle must not keep the CLI from exiting.
setTimeout(() => process.exit(code), 2000).unref()
