/**
 * Group-commit throughput of the local store: rows/s and commits/s through GroupCommitter into
 * SQLite (WAL + synchronous=FULL) for batch sizes 1, 50 and 1000. Progress lines go to stdout;
 * the LAST line is one JSON object for CI. Point --dir at the SD card to measure the real thing.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { Reading } from '../gateway/contract/readings.ts'
import { GroupCommitter } from '../gateway/store/groupCommit.ts'
import { openSqliteStore } from '../gateway/store/sqliteStore.ts'

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    dir: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
})
if (values.help) {
  console.log(`usage: npx node bench/store-commit.ts [--seconds N] [--dir PATH]

  --seconds N  how long to run each batch size (default 3)
  --dir PATH   where to create the throwaway database (default: a temp dir; use the data dir's
               file system, e.g. the SD card, for figures that mean something on a Pi)

Prints one progress line per batch size, then a JSON summary as the last line.`)
  process.exit(0)
}

const seconds = Number(values.seconds)
const base = await mkdtemp(join(values.dir ?? tmpdir(), 'shelfgate-bench-'))
const results: Array<{ batch: number; rows: number; commits: number; rowsPerSec: number; commitsPerSec: number; p50AckMs: number }> = []

let seq = 0
const reading = (): Reading => ({ device: `shelf-${seq % 100}`, kind: 'shelf.weight', shelf: 'A', lane: String(seq % 8), g: seq % 5000, ts: 1_777_000_000_000 + seq, seq: seq++ })

try {
  for (const batch of [1, 50, 1000]) {
    const store = await openSqliteStore(join(base, `batch-${batch}.db`))
    // maxDelayMs large: batches close on maxRows, so the size under test is the size committed.
    const gc = new GroupCommitter({ target: store, maxRows: batch, maxDelayMs: 1000 })
    const acks: number[] = []
    const start = performance.now()
    while (performance.now() - start < seconds * 1000) {
      const t = performance.now()
      await Promise.all(Array.from({ length: batch }, () => gc.submit(reading())))
      acks.push(performance.now() - t)
    }
    const elapsed = (performance.now() - start) / 1000
    await gc.close()
    await store.close()
    const { rows, batches } = gc.stats
    acks.sort((a, b) => a - b)
    const r = {
      batch,
      rows,
      commits: batches,
      rowsPerSec: Math.round(rows / elapsed),
      commitsPerSec: Math.round(batches / elapsed),
      p50AckMs: Number((acks[Math.floor(acks.length / 2)] ?? 0).toFixed(2)),
    }
    results.push(r)
    console.log(`batch ${batch}: ${r.rowsPerSec} rows/s, ${r.commitsPerSec} commits/s, median ack ${r.p50AckMs} ms`)
  }
} finally {
  await rm(base, { recursive: true, force: true })
}

console.log(JSON.stringify({ bench: 'store-commit', node: process.version, journal: 'wal', synchronous: 'full', seconds, results }))
