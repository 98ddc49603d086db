/** One pino logger for the process; components take a child (`log.child({ component: 'broker' })`). */
import { pino, type Logger, type DestinationStream } from 'pino'

/** Secrets never reach a log line, whatever a component passes in (DESIGN §8). */
export const REDACT_PATHS = [
  'password',
  '*.password',
  'passwordHash',
  '*.passwordHash',
  'token',
  '*.token',
  'key',
  '*.key',
  'secret',
  '*.secret',
  'code',
  '*.code',
  'authorization',
  '*.authorization',
  'headers.authorization',
]

export function createLogger(level = 'info', destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'shelfgate' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  )
}

export type { Logger }
