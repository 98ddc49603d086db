import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createSqlitePersistence } from '../../gateway/broker/persistence/sqlitePersistence.ts'

const dir = mkdtempSync(join(tmpdir(), 'shelfgate-volatile-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const packet = (topic: string) => ({ cmd: 'publish', topic, payload: Buffer.from('{}'), qos: 1, retain: true, brokerId: 'b', brokerCounter: 1 }) as never

async function retainedTopics(p: Awaited<ReturnType<typeof createSqlitePersistence>>): Promise<string[]> {
  const out: string[] = []
  for await (const m of p.createRetainedStream('#')) out.push((m as { topic: string }).topic)
  return out.sort()
}

describe('retained topics the services republish at start', () => {
  it('keeps the gateway state/ tree in memory only, and device retained messages on disk', async () => {
    const path = join(dir, 'broker.db')
    const volatileRetained = (t: string) => t.startsWith('shelfgate/s1/state/')
    const first = await createSqlitePersistence({ path, volatileRetained })
    await first.setup({ id: 'b', counter: 0 } as never)
    await first.storeRetained(packet('shelfgate/s1/state/shelf/A1/L1'))
    await first.storeRetained(packet('shelfgate/s1/device/cold-f1/status'))
    expect(await retainedTopics(first)).toEqual(['shelfgate/s1/device/cold-f1/status', 'shelfgate/s1/state/shelf/A1/L1'])
    await first.destroy()

    const second = await createSqlitePersistence({ path, volatileRetained })
    await second.setup({ id: 'b', counter: 0 } as never)
    expect(await retainedTopics(second)).toEqual(['shelfgate/s1/device/cold-f1/status'])
    await second.destroy()
  })
})
