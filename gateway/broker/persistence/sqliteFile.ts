import sqlite3 from 'sqlite3'

/**
 * Thin promise layer over the callback API of sqlite3 (the only SQLite binding in the project).
 * One connection per broker file: the broker is its only writer.
 */
export type Db = sqlite3.Database

export function openDb(path: string): Promise<Db> {
  return new Promise((resolve, reject) => {
    const db: Db = new sqlite3.Database(path, (err) => (err ? reject(err) : resolve(db)))
  })
}

export function run(db: Db, sql: string, params: unknown[] = []): Promise<void> {
  return new Promise((resolve, reject) => {
    db.run(sql, params, (err: Error | null) => (err ? reject(err) : resolve()))
  })
}

export function exec(db: Db, sql: string): Promise<void> {
  return new Promise((resolve, reject) => {
    db.exec(sql, (err: Error | null) => (err ? reject(err) : resolve()))
  })
}

export function all<T>(db: Db, sql: string, params: unknown[] = []): Promise<T[]> {
  return new Promise((resolve, reject) => {
    db.all<T>(sql, params, (err: Error | null, rows: T[]) => (err ? reject(err) : resolve(rows)))
  })
}

export function closeDb(db: Db): Promise<void> {
  return new Promise((resolve, reject) => {
    db.close((err) => (err ? reject(err) : resolve()))
  })
}
