/**
 * Online backup (SQLite backup API, so the gateway keeps running) and restore (gateway stopped).
 * A backup is written under a temporary name and renamed when complete, so a half-written file
 * never looks like a backup; a restore checks the backup before it touches the live file.
 */
import { copyFile, open, rename, rm, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import sqlite3 from 'sqlite3'
import type { Database } from './database.ts'
import { StorageError, toStorageError } from './errors.ts'
import { LATEST_VERSION } from './migrations.ts'

/** node-sqlite3's Backup object; its typings omit it. */
interface SqliteBackup {
  step(pages: number, cb: (err: Error | null) => void): void
  finish(cb?: (err: Error | null) => void): void
  readonly completed: boolean
  readonly failed: boolean
  readonly remaining: number
  readonly pageCount: number
}

async function fsyncPath(path: string): Promise<void> {
  const fh = await open(path, 'r')
  try {
    await fh.sync()
  } finally {
    await fh.close()
  }
}

/**
 * Copies the live database to destPath. Steps hold the connection lock briefly each, so group
 * commits continue between steps; the backup API restarts a step pass if the source changed.
 */
export async function backupTo(db: Database, destPath: string, pagesPerStep = 1_000): Promise<{ pages: number }> {
  const partial = join(dirname(destPath), `.${basename(destPath)}.partial`)
  await rm(partial, { force: true })
  const raw = db.raw as unknown as { backup(file: string, cb: (err: Error | null) => void): SqliteBackup }
  const backup = await db.exclusive(
    () =>
      new Promise<SqliteBackup>((resolve, reject) => {
        const b = raw.backup(partial, (err) => (err ? reject(err) : resolve(b)))
      }),
  )
  try {
    while (!backup.completed) {
      await db.exclusive(() => new Promise<void>((resolve, reject) => backup.step(pagesPerStep, (err) => (err ? reject(err) : resolve()))))
      if (backup.failed) throw new StorageError('io', `backup to ${destPath} failed`)
    }
  } catch (err) {
    await new Promise<void>((resolve) => backup.finish(() => resolve()))
    await rm(partial, { force: true })
    throw toStorageError(err, `backup of ${db.path} to ${destPath} failed`)
  }
  const pages = backup.pageCount
  await new Promise<void>((resolve, reject) => backup.finish((err) => (err ? reject(err) : resolve())))
  await fsyncPath(partial)
  await rename(partial, destPath)
  await fsyncPath(dirname(destPath))
  return { pages }
}

function openRaw(path: string): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    const d: sqlite3.Database = new sqlite3.Database(path, sqlite3.OPEN_READWRITE, (err) => (err ? reject(err) : resolve(d)))
  })
}

/** integrity_check and a schema version this Shelfgate knows; throws a StorageError saying what is wrong. */
export async function validateBackup(path: string): Promise<{ schemaVersion: number }> {
  let d: sqlite3.Database | undefined
  try {
    d = await openRaw(path)
    const db = d
    const all = <T>(sql: string) => new Promise<T[]>((res, rej) => db.all<T>(sql, (e, rows) => (e ? rej(e) : res(rows))))
    const check = await all<{ integrity_check: string }>('PRAGMA integrity_check(5)')
    if (check[0]?.integrity_check !== 'ok') {
      throw new StorageError('corrupt', `${path} fails the integrity check: ${check.map((r) => r.integrity_check).join('; ')}`)
    }
    const version = (await all<{ user_version: number }>('PRAGMA user_version'))[0]?.user_version ?? 0
    if (version < 1 || version > LATEST_VERSION) {
      throw new StorageError('other', `${path} has schema version ${version}; this Shelfgate reads 1 to ${LATEST_VERSION}`)
    }
    return { schemaVersion: version }
  } catch (err) {
    throw err instanceof StorageError ? err : toStorageError(err, `${path} is not a usable backup`)
  } finally {
    const opened = d
    if (opened) await new Promise<void>((resolve) => opened.close(() => resolve()))
  }
}

/**
 * Replaces the database at dbPath with backupPath. The gateway and bridge must be stopped. The
 * backup is copied next to the target and validated there, then swapped in with rename; the old
 * file (and its WAL) is kept as `<db>.replaced-<time>` rather than deleted.
 */
export async function restoreBackup(backupPath: string, dbPath: string, now = Date.now()): Promise<{ replaced?: string }> {
  await stat(backupPath).catch((err: unknown) => {
    throw toStorageError(err, `backup ${backupPath} cannot be read`)
  })
  const staging = join(dirname(dbPath), `.${basename(dbPath)}.restoring`)
  try {
    await rm(staging, { force: true })
    await copyFile(backupPath, staging)
    await validateBackup(staging)
    await rm(`${staging}-wal`, { force: true })
    await rm(`${staging}-shm`, { force: true })
    await fsyncPath(staging)
  } catch (err) {
    await rm(staging, { force: true })
    throw err instanceof StorageError ? err : toStorageError(err, `restoring ${backupPath} failed`)
  }
  let replaced: string | undefined
  const exists = await stat(dbPath).then(() => true, () => false)
  if (exists) {
    replaced = `${dbPath}.replaced-${now}`
    await rename(dbPath, replaced)
    await rename(`${dbPath}-wal`, `${replaced}-wal`).catch(() => {})
  }
  // A stale -shm from the old file must not be paired with the restored one.
  await rm(`${dbPath}-shm`, { force: true })
  await rm(`${dbPath}-wal`, { force: true })
  await rename(staging, dbPath)
  await fsyncPath(dirname(dbPath))
  return replaced === undefined ? {} : { replaced }
}
