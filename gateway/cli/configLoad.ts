/** Loads the config for a CLI command; a ConfigError is printed by main.ts with exit code 2. */
import { loadConfig } from '../config/load.ts'
import type { StoreConfig } from '../config/schema.ts'
import { UsageError } from './command.ts'

export const DEFAULT_CONFIG = '/etc/shelfgate/store.yaml'

export function configFrom(values: Record<string, string | boolean | undefined>): { file: string; config: StoreConfig } {
  const file = typeof values.config === 'string' ? values.config : process.env.SHELFGATE_CONFIG ?? DEFAULT_CONFIG
  if (!file) throw new UsageError('no config file: pass --config FILE or set SHELFGATE_CONFIG')
  return { file, config: loadConfig(file) }
}

export const configOption = {
  type: 'string' as const,
  short: 'c',
  description: `store config file (or $SHELFGATE_CONFIG; default ${DEFAULT_CONFIG})`,
}
