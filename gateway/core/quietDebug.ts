/**
 * The `debug` package's loggers copy their arguments into an array on every call, even when
 * disabled, and mqtt-packet calls them about twenty times per MQTT packet: in the ingest burst that
 * was 9 % of everything the gateway allocated (docs/performance.md). Unless DEBUG is set when the
 * process starts, loggers are no-ops instead. (Turning debug namespaces on later at run time, with
 * debug.enable(), then has no effect on them; set DEBUG before starting.)
 *
 * Import this module before anything that loads mqtt-packet (aedes, mqtt): it replaces the cached
 * CommonJS exports of `debug`, which only modules that require it afterwards see.
 */
import { createRequire } from 'node:module'

type Logger = ((...args: unknown[]) => void) & { enabled: boolean; namespace: string; extend: (sub: string, delimiter?: string) => Logger }
type Factory = ((namespace: string) => Logger) & Record<string, unknown>

const require = createRequire(import.meta.url)

function quietLogger(namespace: string): Logger {
  const log = (() => {}) as Logger
  log.enabled = false
  log.namespace = namespace
  log.extend = (sub, delimiter = ':') => quietLogger(`${namespace}${delimiter}${sub}`)
  return log
}

if (!process.env.DEBUG) {
  const path = require.resolve('debug')
  const real = require(path) as Factory
  const cached = require.cache[path]
  if (cached && typeof real === 'function') {
    const quiet = Object.assign((namespace: string) => quietLogger(namespace), real) as unknown as Factory
    cached.exports = quiet
  }
}

export {}
