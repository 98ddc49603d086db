import { describe, expect, it } from 'vitest'
import { nodeTestOn } from './nodeTestAdapter.ts'

// The contract suite is only as strict as this adapter: prove a broken test would fail under it.
async function runOne(body: Parameters<ReturnType<typeof nodeTestOn>>[1]): Promise<unknown> {
  let registered: (() => Promise<void>) | undefined
  nodeTestOn((_name, fn) => {
    registered = fn
  })('case', body)
  try {
    await registered?.()
    return undefined
  } catch (err) {
    return err
  }
}

describe('node:test adapter for the aedes-persistence contract suite', () => {
  it('fails a test whose assertion fails', async () => {
    const err = await runOne((t) => t.assert.equal?.(1, 2))
    expect(err).toBeInstanceOf(Error)
  })

  it('fails a test that ran fewer assertions than it planned', async () => {
    const err = await runOne((t) => {
      t.plan(2)
      t.assert.ok?.(true)
    })
    expect(String(err)).toMatch(/planned 2 assertions, ran 1/)
  })

  it('passes a test that ran exactly what it planned', async () => {
    const err = await runOne(async (t) => {
      t.plan(2)
      t.assert.deepEqual?.({ a: 1 }, { a: 1 })
      t.assert.ok?.(true)
    })
    expect(err).toBeUndefined()
  })
})
