import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach } from 'vitest'
import { openSqliteStore, type SqliteStore } from '../../gateway/store/sqliteStore.ts'

/** A fresh directory per test, removed afterwards: call `cleanup` in afterEach. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'shelfgate-store-'))
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) }
}

/** A fresh directory for each test of the calling suite: `const t = useTempDir()` then `t.dir`. */
export function useTempDir(): { readonly dir: string } {
  let current = { dir: '', cleanup: async () => {} }
  beforeEach(async () => {
    current = await tempDir()
  })
  afterEach(() => current.cleanup())
  return {
    get dir() {
      return current.dir
    },
  }
}

/**
 * A fresh SQLite store for each test of the calling suite: `const s = useTempStore()` then `s.store`.
 * Registers its own beforeEach/afterEach.
 */
export function useTempStore(): { readonly store: SqliteStore } {
  const box: { store: SqliteStore; cleanup: () => Promise<void> } = { store: undefined as never, cleanup: async () => {} }
  beforeEach(async () => {
    const t = await tempDir()
    box.cleanup = t.cleanup
    box.store = await openSqliteStore(join(t.dir, 'shelfgate.db'))
  })
  afterEach(async () => {
    await box.store.close()
    await box.cleanup()
  })
  return {
    get store() {
      return box.store
    },
  }
}
