/**
 * Versioned schema, tracked in PRAGMA user_version. A migration is append-only: never edit one
 * that has shipped, add the next. docs/storage.md describes every table.
 */
import type { Database, Queryable } from './database.ts'
import { StorageError } from './errors.ts'

export interface Migration {
  version: number
  description: string
  up: string
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    description: 'initial schema',
    up: `
      -- Raw readings kept after the deadband. v = the main number (g, c, 1/0); x = compact JSON of
      -- the rest (probe, locker event type, fw, battery), NULL when there is nothing else.
      -- One b-tree, keyed by time first, so a commit of new readings rewrites one or two pages at
      -- its right edge: on an SD card the bytes written per day follow pages per commit (the
      -- reference store measured ~3x fewer bytes than a rowid table with two indexes).
      -- The key is also the dedupe: a QoS 1 redelivery after a crash carries the same device
      -- ts and seq and is stored once (INSERT OR IGNORE). seq = -1 when the device sends none.
      -- Queries by subject scan a time range: charts over hours read rollups, not raw rows.
      CREATE TABLE readings (
        ts      INTEGER NOT NULL,
        device  TEXT    NOT NULL,
        subject TEXT    NOT NULL,
        kind    TEXT    NOT NULL,
        seq     INTEGER NOT NULL,
        v       REAL,
        x       TEXT,
        PRIMARY KEY (ts, device, subject, kind, seq)
      ) WITHOUT ROWID;

      CREATE TABLE events (
        id         INTEGER PRIMARY KEY,
        ts         INTEGER NOT NULL,
        type       TEXT    NOT NULL,
        subject    TEXT    NOT NULL,
        data       TEXT,
        dedupe_key TEXT UNIQUE
      );
      CREATE INDEX events_subject_ts ON events (subject, ts);
      CREATE INDEX events_ts ON events (ts);

      CREATE TABLE latest_state (
        key   TEXT PRIMARY KEY,
        value TEXT    NOT NULL,
        ts    INTEGER NOT NULL
      ) WITHOUT ROWID;

      -- minute = epoch ms of the minute's start.
      CREATE TABLE rollups (
        subject TEXT    NOT NULL,
        metric  TEXT    NOT NULL,
        minute  INTEGER NOT NULL,
        min     REAL    NOT NULL,
        max     REAL    NOT NULL,
        sum     REAL    NOT NULL,
        count   INTEGER NOT NULL,
        last    REAL    NOT NULL,
        -- minute first: each minute's rows append at the right edge of the b-tree, so writing 150
        -- subjects' minutes touches a few pages instead of one scattered leaf per subject (SD wear).
        -- A chart reads one subject over a day by scanning that day's minutes, which is cheap.
        PRIMARY KEY (minute, subject, metric)
      ) WITHOUT ROWID;

      CREATE TABLE alerts (
        id              INTEGER PRIMARY KEY,
        rule            TEXT    NOT NULL,
        subject         TEXT    NOT NULL,
        severity        TEXT    NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
        state           TEXT    NOT NULL CHECK (state IN ('open', 'acknowledged', 'resolved')),
        message         TEXT,
        details         TEXT,
        repeats         INTEGER NOT NULL DEFAULT 0,
        opened_at       INTEGER NOT NULL,
        updated_at      INTEGER NOT NULL,
        acknowledged_by TEXT,
        acknowledged_at INTEGER,
        resolved_by     TEXT,
        resolved_at     INTEGER,
        note            TEXT
      );
      -- One alert per (rule, subject) while it is not resolved: repeats update it (DESIGN §6).
      CREATE UNIQUE INDEX alerts_one_open ON alerts (rule, subject) WHERE state <> 'resolved';
      CREATE INDEX alerts_resolved_at ON alerts (resolved_at);

      CREATE TABLE alert_audit (
        id         INTEGER PRIMARY KEY,
        alert_id   INTEGER NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
        at         INTEGER NOT NULL,
        actor      TEXT    NOT NULL,
        from_state TEXT,
        to_state   TEXT    NOT NULL,
        note       TEXT
      );
      CREATE INDEX alert_audit_alert ON alert_audit (alert_id);

      CREATE TABLE audit_log (
        id      INTEGER PRIMARY KEY,
        at      INTEGER NOT NULL,
        actor   TEXT    NOT NULL,
        action  TEXT    NOT NULL,
        target  TEXT,
        details TEXT
      );
      CREATE INDEX audit_log_at ON audit_log (at);

      -- Durable queue read by the bridge process and the alert channels. AUTOINCREMENT: ids are
      -- never reused, so "everything after id N" stays true across prunes.
      CREATE TABLE outbox (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        stream          TEXT    NOT NULL,
        kind            TEXT    NOT NULL CHECK (kind IN ('rollup', 'alert', 'haccp', 'health')),
        dedupe_id       TEXT    NOT NULL,
        payload         TEXT    NOT NULL,
        bytes           INTEGER NOT NULL,
        created_at      INTEGER NOT NULL,
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        state           TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'dropped')),
        sent_at         INTEGER,
        last_error      TEXT,
        UNIQUE (stream, dedupe_id)
      );
      CREATE INDEX outbox_pending ON outbox (stream, state, id);
      CREATE INDEX outbox_sent_at ON outbox (sent_at) WHERE sent_at IS NOT NULL;

      CREATE TABLE haccp_excursions (
        id                INTEGER PRIMARY KEY,
        unit              TEXT    NOT NULL,
        probe             TEXT    NOT NULL DEFAULT 'air',
        limit_c           REAL    NOT NULL,
        started_at        INTEGER NOT NULL,
        ended_at          INTEGER,
        peak_c            REAL,
        degree_minutes    REAL,
        alert_id          INTEGER REFERENCES alerts (id) ON DELETE SET NULL,
        acknowledged_by   TEXT,
        corrective_action TEXT,
        details           TEXT
      );
      CREATE INDEX haccp_excursions_unit ON haccp_excursions (unit, started_at);

      CREATE TABLE haccp_calibrations (
        id          INTEGER PRIMARY KEY,
        unit        TEXT    NOT NULL,
        probe       TEXT    NOT NULL DEFAULT 'air',
        at          INTEGER NOT NULL,
        by          TEXT    NOT NULL,
        reference_c REAL    NOT NULL,
        measured_c  REAL    NOT NULL,
        notes       TEXT
      );
      CREATE INDEX haccp_calibrations_unit ON haccp_calibrations (unit, at);

      -- Small facts that outlive a restart: clock sync state, last prune, install id.
      CREATE TABLE kv (
        key        TEXT PRIMARY KEY,
        value      TEXT    NOT NULL,
        updated_at INTEGER NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    description: 'alert engine: string-id alerts with their full state, transition log, channel outbox',
    up: `
      -- The alert engine's own records (gateway/alerts/sqlite/). v1 \`alerts\` keeps integer ids and
      -- no area, message params or escalation state, so the engine gets its own table; \`json\` is
      -- the whole Alert, the other columns are for queries and the one-open-alert index.
      CREATE TABLE alert_records (
        id         TEXT    PRIMARY KEY,
        rule       TEXT    NOT NULL,
        subject    TEXT    NOT NULL,
        status     TEXT    NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
        severity   TEXT    NOT NULL,
        area       TEXT    NOT NULL,
        opened_at  INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        json       TEXT    NOT NULL
      ) WITHOUT ROWID;
      CREATE UNIQUE INDEX alert_records_one_open ON alert_records (rule, subject) WHERE status <> 'resolved';
      CREATE INDEX alert_records_opened ON alert_records (opened_at);

      CREATE TABLE alert_transitions (
        seq      INTEGER PRIMARY KEY AUTOINCREMENT,
        alert_id TEXT    NOT NULL REFERENCES alert_records (id) ON DELETE CASCADE,
        at       INTEGER NOT NULL,
        who      TEXT    NOT NULL,
        what     TEXT    NOT NULL,
        detail   TEXT
      );
      CREATE INDEX alert_transitions_alert ON alert_transitions (alert_id, seq);

      -- One row per message to one channel (gateway/alerts/delivery/outbox.ts).
      CREATE TABLE alert_outbox (
        id              TEXT    PRIMARY KEY,
        channel         TEXT    NOT NULL,
        status          TEXT    NOT NULL CHECK (status IN ('pending', 'sent', 'merged', 'dead')),
        created_at      INTEGER NOT NULL,
        not_before      INTEGER NOT NULL,
        attempts        INTEGER NOT NULL DEFAULT 0,
        idempotency_key TEXT    NOT NULL,
        held            INTEGER NOT NULL DEFAULT 0,
        message_json    TEXT    NOT NULL,
        last_error      TEXT,
        sent_at         INTEGER,
        merged_into     TEXT,
        ord             INTEGER NOT NULL
      );
      CREATE INDEX alert_outbox_due ON alert_outbox (channel, status, not_before);
      CREATE INDEX alert_outbox_created ON alert_outbox (created_at, ord);
    `,
  },
  {
    version: 3,
    description: 'raw readings keyed by a channel id instead of device, kind and subject',
    up: `
      -- A channel is one (device, kind, subject): a lane's weight, a unit's temperature, a device's
      -- status. The id is the rowid SQLite gives it in the write transaction that first needs it.
      CREATE TABLE channels (
        id      INTEGER PRIMARY KEY,
        device  TEXT NOT NULL,
        kind    TEXT NOT NULL,
        subject TEXT NOT NULL,
        UNIQUE (subject, kind, device)
      );
      -- The readings of version 1, a row of ~25 bytes instead of ~60: fewer pages per commit for
      -- SQLite to write and the SD card to take, and a smaller batch for the broker thread to build
      -- (docs/performance.md). Same key order and dedupe: (ts, channel, seq) is (ts, device,
      -- subject, kind, seq) with the three names in one number.
      CREATE TABLE raw_readings (
        ts      INTEGER NOT NULL,
        channel INTEGER NOT NULL,
        seq     INTEGER NOT NULL,
        v       REAL,
        x       TEXT,
        PRIMARY KEY (ts, channel, seq)
      ) WITHOUT ROWID;
      INSERT INTO channels (device, kind, subject) SELECT DISTINCT device, kind, subject FROM readings;
      INSERT INTO raw_readings (ts, channel, seq, v, x)
        SELECT r.ts, c.id, r.seq, r.v, r.x FROM readings r
        JOIN channels c ON c.subject = r.subject AND c.kind = r.kind AND c.device = r.device;
      DROP TABLE readings;
      -- Readers (queries, reports, tests, a person with the sqlite3 shell) keep the version 1 shape.
      CREATE VIEW readings AS
        SELECT r.ts, c.device, c.subject, c.kind, r.seq, r.v, r.x
        FROM raw_readings r JOIN channels c ON c.id = r.channel;
    `,
  },
]

export const LATEST_VERSION = migrations.at(-1)?.version ?? 0

export async function schemaVersion(q: Queryable): Promise<number> {
  return (await q.get<{ user_version: number }>('PRAGMA user_version'))?.user_version ?? 0
}

/** Brings the schema to LATEST_VERSION; each step in its own transaction with its version bump. */
export async function migrate(db: Database): Promise<{ from: number; to: number }> {
  const from = await schemaVersion(db)
  if (from > LATEST_VERSION) {
    throw new StorageError(
      'other',
      `${db.path} has schema version ${from}, newer than this Shelfgate knows (${LATEST_VERSION}); upgrade Shelfgate or restore an older backup.`,
    )
  }
  for (const m of migrations) {
    if (m.version <= from) continue
    await db.transaction(async (tx) => {
      await tx.exec(m.up)
      await tx.exec(`PRAGMA user_version = ${m.version}`)
    })
  }
  return { from, to: LATEST_VERSION }
}
