import { join } from 'node:path'
import { MemoryStore } from '../../gateway/store/memoryStore.ts'
import { openSqliteStore } from '../../gateway/store/sqliteStore.ts'
import { storageContract } from './contract.ts'
import { tempDir } from './tempDir.ts'

storageContract('sqlite', async () => {
  const { dir, cleanup } = await tempDir()
  return { store: await openSqliteStore(join(dir, 'shelfgate.db')), cleanup }
})

storageContract('memory', async () => ({ store: new MemoryStore(), cleanup: async () => {} }))
