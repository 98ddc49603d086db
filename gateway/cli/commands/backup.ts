import { copyFileSync, existsSync, mkdirSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { DATABASE_FILE } from '../../ingest/storageService.ts'
import { credentialsPath } from '../../security/credentials.ts'
import { backupTo, restoreBackup, validateBackup } from '../../store/backup.ts'
import { openSqliteStore } from '../../store/sqliteStore.ts'
import { opt, UsageError, type Command } from '../command.ts'
import { configFrom, configOption } from '../configLoad.ts'

/** A backup is a folder: the database (SQLite online backup), the device credentials and the config. */
export const backupCommand: Command = {
  name: 'backup',
  usage: 'backup [--config FILE] [--to DIR]',
  summary: 'Back up the database (online: the gateway keeps running), device credentials and config into a new folder.',
  options: {
    config: configOption,
    to: opt({ type: 'string', description: 'folder to create the backup in', default: '.' }),
  },
  details: 'Restore with: shelfgate restore BACKUP_FOLDER --config FILE (gateway stopped).',
  async run(values) {
    const { file, config } = configFrom(values)
    const stamp = new Date().toISOString().replace(/[:.]/g, '-')
    const dir = resolve(String(values.to), `shelfgate-${config.store.id}-${stamp}`)
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    const db = join(config.dataDir, DATABASE_FILE)
    if (!existsSync(db)) throw new UsageError(`${db} does not exist: is dataDir in ${file} right?`)
    console.error(`backup: copying ${db} ...`)
    const store = await openSqliteStore(db)
    try {
      const { pages } = await backupTo(store.db, join(dir, DATABASE_FILE))
      console.error(`backup: database done (${pages} pages)`)
    } finally {
      await store.close()
    }
    const creds = credentialsPath(config.dataDir)
    if (existsSync(creds)) copyFileSync(creds, join(dir, 'credentials.json'))
    copyFileSync(file, join(dir, basename(file)))
    console.log(dir)
    return 0
  },
}

export const restoreCommand: Command = {
  name: 'restore',
  usage: 'restore BACKUP_FOLDER [--config FILE]',
  summary: 'Restore the database and device credentials from a backup folder. Stop the gateway and bridge first.',
  options: { config: configOption },
  details: 'The replaced database is kept next to it as shelfgate.db.replaced-<time>. The config file is not overwritten.',
  async run(values, positionals) {
    const folder = positionals[0]
    if (!folder) throw new UsageError('restore needs the BACKUP_FOLDER made by "shelfgate backup"')
    const { config } = configFrom(values)
    const l = config.listeners.http
    const running = await fetch(`http://${l.host === '0.0.0.0' ? '127.0.0.1' : l.host}:${l.port}/healthz`, { signal: AbortSignal.timeout(1000) }).then(
      () => true,
      () => false,
    )
    if (running) throw new UsageError(`the gateway is running (it answers on port ${l.port}): stop it first, e.g. "systemctl stop shelfgate-gateway"`)
    const backupDb = join(folder, DATABASE_FILE)
    console.error(`restore: checking ${backupDb} ...`)
    const { schemaVersion } = await validateBackup(backupDb)
    mkdirSync(config.dataDir, { recursive: true, mode: 0o750 })
    const { replaced } = await restoreBackup(backupDb, join(config.dataDir, DATABASE_FILE))
    const creds = join(folder, 'credentials.json')
    if (existsSync(creds)) copyFileSync(creds, credentialsPath(config.dataDir))
    console.log(`restored schema v${schemaVersion} into ${config.dataDir}${replaced ? ` (previous database kept as ${replaced})` : ''}`)
    return 0
  },
}
