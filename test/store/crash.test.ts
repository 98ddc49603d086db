import { spawn } from 'node:child_process'
import { join, resolve } from 'node:path'
import { expect, it } from 'vitest'
import { openSqliteStore } from '../../gateway/store/sqliteStore.ts'
import { useTempDir } from './tempDir.ts'

const t = useTempDir()

it('keeps every reading it acknowledged when the gateway is killed with SIGKILL right after', async () => {
  const path = join(t.dir, 'shelfgate.db')
  const child = spawn(resolve('node_modules/.bin/node'), [resolve('test/store/fixtures/commitAndHang.ts'), path, '1000'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise<void>((done, fail) => {
    child.stdout.on('data', (b: Buffer) => {
      if (b.toString().includes('committed')) done()
    })
    child.on('exit', (code) => fail(new Error(`child exited early with ${code}`)))
  })
  child.kill('SIGKILL')
  await new Promise((r) => child.once('exit', r))

  const store = await openSqliteStore(path)
  expect((await store.db.get<{ n: number }>('SELECT count(*) AS n FROM readings'))?.n).toBe(1000)
  expect((await store.db.get<{ integrity_check: string }>('PRAGMA integrity_check'))?.integrity_check).toBe('ok')
  await store.close()
})
