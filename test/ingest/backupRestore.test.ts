import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../../gateway/config/load.ts'
import { openSqliteStore } from '../../gateway/store/sqliteStore.ts'
import { startHarness, TEST_STORE_YAML } from '../support/gatewayHarness.ts'

const dir = mkdtempSync(join(tmpdir(), 'shelfgate-backup-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function shelfgate(...args: string[]) {
  const r = spawnSync(process.execPath, ['gateway/cli/main.ts', ...args], { encoding: 'utf8', timeout: 30_000 })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

async function storedSeqs(dataDir: string): Promise<number[]> {
  const store = await openSqliteStore(join(dataDir, 'shelfgate.db'))
  try {
    return (await store.readings({})).filter((r) => r.kind === 'cold.temp').map((r) => r.seq ?? -1)
  } finally {
    await store.close()
  }
}

describe('backup and restore', () => {
  it('backs up a running store online and restores it, keeping the replaced database', async () => {
    const dataDir = join(dir, 'data')
    const configFile = join(dir, 'store.yaml')
    writeFileSync(configFile, TEST_STORE_YAML(dataDir))
    const h = await startHarness({ dataDir })
    const f1 = await h.connect('cold-f1')
    await f1.publishAsync('shelfgate/s1/cold/F1/temp', JSON.stringify({ c: 3.1, seq: 1, ts: Date.now() }), { qos: 1 })

    const backup = shelfgate('backup', '--config', configFile, '--to', join(dir, 'backups'))
    expect(backup.code, backup.err).toBe(0)
    const folder = backup.out.trim()

    await f1.publishAsync('shelfgate/s1/cold/F1/temp', JSON.stringify({ c: 6.5, seq: 2, ts: Date.now() }), { qos: 1 })
    await h.stop()
    expect(await storedSeqs(dataDir)).toEqual([1, 2])

    const restore = shelfgate('restore', folder, '--config', configFile)
    expect(restore.code, restore.err).toBe(0)
    expect(restore.out).toContain('previous database kept as')
    expect(await storedSeqs(dataDir)).toEqual([1])
    expect(parseConfig(TEST_STORE_YAML(dataDir), 'x').store.id).toBe('s1')
  })

  it('refuses a backup that is not a Shelfgate database, naming the file', () => {
    const folder = join(dir, 'bogus')
    spawnSync('mkdir', ['-p', folder])
    writeFileSync(join(folder, 'shelfgate.db'), 'not a database')
    const configFile = join(dir, 'store2.yaml')
    writeFileSync(configFile, TEST_STORE_YAML(join(dir, 'data2')))
    const r = shelfgate('restore', folder, '--config', configFile)
    expect(r.code).not.toBe(0)
    expect(r.err).toContain(join(folder, 'shelfgate.db'))
  })
})
