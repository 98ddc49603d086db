import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { backupTo, restoreBackup } from '../../gateway/store/backup.ts'
import { openSqliteStore } from '../../gateway/store/sqliteStore.ts'
import { T0, temp } from './readings.ts'
import { useTempDir } from './tempDir.ts'

const t = useTempDir()

it('backs up a running store and restores it after the live file was lost', async () => {
  const db = join(t.dir, 'shelfgate.db')
  const store = await openSqliteStore(db)
  await store.insertReadings([temp(3, T0), temp(4, T0 + 1)])
  await backupTo(store.db, join(t.dir, 'backup.db'))
  await store.insertReadings([temp(5, T0 + 2)])
  await store.close()
  await writeFile(db, 'garbage '.repeat(1000))

  const { replaced } = await restoreBackup(join(t.dir, 'backup.db'), db)
  expect(replaced).toMatch(/shelfgate\.db\.replaced-/)
  const restored = await openSqliteStore(db)
  expect(await restored.readings({})).toHaveLength(2)
  await restored.close()
})

it('refuses to restore a file that is not a valid backup and leaves the live database alone', async () => {
  const db = join(t.dir, 'shelfgate.db')
  const store = await openSqliteStore(db)
  await store.kvSet('k', 'v', T0)
  await store.close()
  await writeFile(join(t.dir, 'bad.db'), 'not sqlite '.repeat(500))
  await expect(restoreBackup(join(t.dir, 'bad.db'), db)).rejects.toMatchObject({ code: 'corrupt' })
  const again = await openSqliteStore(db)
  expect(await again.kvGet('k')).toBe('v')
  await again.close()
})
