import { mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { createSqlitePersistence } from '../../gateway/broker/persistence/sqlitePersistence.ts'
import { nodeTestOn } from './nodeTestAdapter.ts'

// aedes-persistence ships the contract every aedes persistence must pass (abstract.js, CommonJS,
// written for node:test). Run it unchanged against the SQLite store, one fresh file per test.
const require = createRequire(import.meta.url)
const abstractPersistence = require('aedes-persistence/abstract.js') as (opts: {
  test: ReturnType<typeof nodeTestOn>
  persistence: () => Promise<unknown>
  testAsync: boolean
}) => void

let dir = ''
let files = 0
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shelfgate-broker-contract-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('aedes-persistence contract suite on the SQLite broker store', () => {
  abstractPersistence({
    test: nodeTestOn(it),
    persistence: () => createSqlitePersistence({ path: join(dir, `contract-${files++}.db`) }),
    // Our store has the promise API aedes 1.x calls; the suite then calls setup(broker) itself.
    testAsync: true,
  })
})
