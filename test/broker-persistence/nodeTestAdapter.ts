import assert from 'node:assert'

/** The part of node:test's TestContext that aedes-persistence's contract suite uses. */
export interface NodeTestContext {
  plan(count: number): void
  diagnostic(message: string): void
  readonly assert: Record<string, (...args: unknown[]) => unknown>
}

type NodeTestBody = (t: NodeTestContext) => unknown

/**
 * Turns a node:test style `test(name, fn)` into vitest tests, so a suite written for node:test runs
 * under `vitest run` with the rest of ours. Like node:test, `t.assert` is node:assert (the legacy,
 * loose functions) counted against `t.plan(n)`: a test that ran fewer or more assertions fails.
 */
export function nodeTestOn(register: (name: string, body: () => Promise<void>) => void) {
  return (name: string, body: NodeTestBody): void => {
    register(name, async () => {
      let planned: number | undefined
      let ran = 0
      const counted: Record<string, (...args: unknown[]) => unknown> = {}
      for (const [key, fn] of Object.entries(assert)) {
        if (typeof fn !== 'function') continue
        counted[key] = (...args: unknown[]) => {
          ran++
          return (fn as (...a: unknown[]) => unknown)(...args)
        }
      }
      const t: NodeTestContext = {
        plan: (count) => {
          planned = count
        },
        diagnostic: () => {},
        assert: counted,
      }
      await body(t)
      if (planned !== undefined && ran !== planned) {
        throw new assert.AssertionError({ message: `planned ${planned} assertions, ran ${ran}`, actual: ran, expected: planned })
      }
    })
  }
}
