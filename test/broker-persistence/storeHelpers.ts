import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { createSqlitePersistence } from '../../gateway/broker/persistence/sqlitePersistence.ts'
import type { SqlitePersistence } from '../../gateway/broker/persistence/sqlitePersistence.ts'
import type { BrokerRef } from '../../gateway/broker/persistence/types.ts'

/** A temp directory per test file, removed by `cleanup()`. */
export async function tempDir(label: string): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `shelfgate-${label}-`))
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) }
}

/** Opens the store the way aedes does: create, then setup(broker), which loads the file. */
export async function openStore(path: string, broker: BrokerRef = { id: 'gateway', counter: 0 }): Promise<SqlitePersistence> {
  const store = await createSqlitePersistence({ path })
  await store.setup(broker)
  return store
}

export async function drain<T>(stream: Readable): Promise<T[]> {
  const items: T[] = []
  for await (const item of stream) items.push(item as T)
  return items
}
