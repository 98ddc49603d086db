/** The shape of a `shelfgate` subcommand: its own --help text, options and run function. */
import { parseArgs, type ParseArgsConfig } from 'node:util'

export type Options = NonNullable<ParseArgsConfig['options']>

export interface Command {
  name: string
  summary: string
  usage: string
  options: Options
  /** Extra help text after the options. */
  details?: string
  run(values: Record<string, string | boolean | undefined>, positionals: string[]): Promise<number>
}

/** Usage errors exit with 2, like config errors: the person at the keyboard can fix them. */
export class UsageError extends Error {}

/** A failure explained in full by its message (no stack trace is printed); exit code 1. */
export class OperatorError extends Error {}

export function helpText(cmd: Command): string {
  const lines = [`Usage: shelfgate ${cmd.usage}`, '', cmd.summary, '']
  const entries = Object.entries(cmd.options)
  if (entries.length) {
    lines.push('Options:')
    for (const [name, o] of entries) {
      const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ' VALUE' : ''}`
      const desc = (o as { description?: string }).description ?? ''
      const def = o.default !== undefined ? ` (default: ${String(o.default)})` : ''
      lines.push(`  ${flag.padEnd(28)} ${desc}${def}`)
    }
  }
  lines.push(`  ${'-h, --help'.padEnd(28)} show this help`)
  if (cmd.details) lines.push('', cmd.details)
  return lines.join('\n')
}

export async function runCommand(cmd: Command, argv: string[]): Promise<number> {
  const options: Options = {}
  for (const [k, o] of Object.entries(cmd.options)) {
    const { description: _d, ...rest } = o as typeof o & { description?: string }
    options[k] = rest
  }
  options.help = { type: 'boolean', short: 'h' }
  let parsed
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true })
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\nRun "shelfgate ${cmd.name} --help" for usage.`)
  }
  if (parsed.values.help) {
    console.log(helpText(cmd))
    return 0
  }
  return cmd.run(parsed.values as Record<string, string | boolean | undefined>, parsed.positionals)
}

/** Options with a description for --help (parseArgs itself ignores the field). */
export function opt<T extends Options[string]>(o: T & { description: string }): T {
  return o
}
