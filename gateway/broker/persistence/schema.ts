import { all, exec } from './sqliteFile.ts'
import type { Db } from './sqliteFile.ts'

/**
 * One table per kind of broker state. Every table ends with a JSON document column (the packet or
 * subscription record); the leading columns are what rows are found and deleted by.
 */
export interface TableSpec {
  readonly name: string
  /** Column names in row order; the last one holds the JSON document. */
  readonly columns: readonly string[]
  /** How many leading columns form the primary key. */
  readonly keyColumns: number
  /** The column a "forget this client" (clean session) deletes by, if the table has one. */
  readonly ownerColumn?: string
}

export const tables = {
  retained: { name: 'retained', columns: ['topic', 'packet'], keyColumns: 1 },
  subscriptions: { name: 'subscriptions', columns: ['client_id', 'topic', 'sub'], keyColumns: 2, ownerColumn: 'client_id' },
  // id is assigned in memory, in enqueue order, so a restart replays each client's queue in order.
  outgoing: { name: 'outgoing', columns: ['id', 'client_id', 'packet'], keyColumns: 1, ownerColumn: 'client_id' },
  incoming: { name: 'incoming', columns: ['client_id', 'message_id', 'packet'], keyColumns: 2, ownerColumn: 'client_id' },
  wills: { name: 'wills', columns: ['client_id', 'packet'], keyColumns: 1 },
} as const satisfies Record<string, TableSpec>

export type TableName = keyof typeof tables

const SCHEMA_VERSION = 1

const ddl = `
CREATE TABLE IF NOT EXISTS retained (topic TEXT PRIMARY KEY, packet TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS subscriptions (
  client_id TEXT NOT NULL, topic TEXT NOT NULL, sub TEXT NOT NULL, PRIMARY KEY (client_id, topic)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS outgoing (id INTEGER PRIMARY KEY, client_id TEXT NOT NULL, packet TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS outgoing_by_client ON outgoing (client_id);
CREATE TABLE IF NOT EXISTS incoming (
  client_id TEXT NOT NULL, message_id INTEGER NOT NULL, packet TEXT NOT NULL, PRIMARY KEY (client_id, message_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS wills (client_id TEXT PRIMARY KEY, packet TEXT NOT NULL) WITHOUT ROWID;
`

/** WAL + synchronous=FULL: a committed transaction survives power loss, which is what the ack promises. */
export async function prepareSchema(db: Db, path: string): Promise<void> {
  await exec(db, 'PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;')
  const [row] = await all<{ user_version: number }>(db, 'PRAGMA user_version')
  const version = row?.user_version ?? 0
  if (version > SCHEMA_VERSION) {
    throw new Error(
      `${path}: broker store has schema version ${version}, this gateway understands up to ${SCHEMA_VERSION}; ` +
        'run the newer gateway or move the file aside',
    )
  }
  await exec(db, `BEGIN; ${ddl} PRAGMA user_version = ${SCHEMA_VERSION}; COMMIT;`)
}

// Bulk statements: one per table and kind per commit, fed a JSON array through json_each()
// (far faster than one statement per row through the async API).
function pick(count: number): string {
  return Array.from({ length: count }, (_, i) => `value ->> ${i}`).join(', ')
}

export function upsertSql(t: TableSpec): string {
  return `INSERT OR REPLACE INTO ${t.name} (${t.columns.join(', ')}) SELECT ${pick(t.columns.length)} FROM json_each(?)`
}

export function deleteKeysSql(t: TableSpec): string {
  const keys = t.columns.slice(0, t.keyColumns).join(', ')
  return `DELETE FROM ${t.name} WHERE (${keys}) IN (SELECT ${pick(t.keyColumns)} FROM json_each(?))`
}

export function deleteOwnersSql(t: TableSpec): string {
  return `DELETE FROM ${t.name} WHERE ${t.ownerColumn} IN (SELECT value FROM json_each(?))`
}
