/**
 * Storage errors carry a code a person (and the health endpoint) can act on: a full SD card needs
 * space, a read-only one needs a remount or a new card, a corrupt file needs a restore.
 */

export type StorageErrorCode = 'full' | 'readonly' | 'io' | 'corrupt' | 'busy' | 'other'

export class StorageError extends Error {
  readonly code: StorageErrorCode
  /** The SQLite or OS code behind it (SQLITE_FULL, ENOSPC…), for logs. */
  readonly sourceCode: string | undefined

  constructor(code: StorageErrorCode, message: string, options?: { cause?: unknown; sourceCode?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'StorageError'
    this.code = code
    this.sourceCode = options?.sourceCode
  }
}

// node-sqlite3 reports the primary result code as err.code ('SQLITE_FULL'); fs calls report errno names.
const byCode: Record<string, StorageErrorCode> = {
  SQLITE_FULL: 'full',
  ENOSPC: 'full',
  EDQUOT: 'full',
  SQLITE_READONLY: 'readonly',
  SQLITE_PERM: 'readonly',
  EACCES: 'readonly',
  EPERM: 'readonly',
  EROFS: 'readonly',
  SQLITE_IOERR: 'io',
  SQLITE_CANTOPEN: 'io',
  EIO: 'io',
  SQLITE_CORRUPT: 'corrupt',
  SQLITE_NOTADB: 'corrupt',
  SQLITE_BUSY: 'busy',
  SQLITE_LOCKED: 'busy',
}

export function storageErrorCodeOf(err: unknown): StorageErrorCode {
  if (err instanceof StorageError) return err.code
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' ? (byCode[code] ?? 'other') : 'other'
}

/** Wraps any error from sqlite3 or fs into a StorageError; `what` says what we were doing. */
export function toStorageError(err: unknown, what: string): StorageError {
  if (err instanceof StorageError) return err
  const sourceCode = (err as { code?: unknown } | null)?.code
  const detail = err instanceof Error ? err.message : String(err)
  return new StorageError(storageErrorCodeOf(err), `${what}: ${detail}`, {
    cause: err,
    sourceCode: typeof sourceCode === 'string' ? sourceCode : undefined,
  })
}
