/**
 * The adapters' view of the test store: the same ids as test/support/gatewayHarness.ts (store s1,
 * shelf A1 with lanes L1/L2 on shelf-a1, cold unit F1 on cold-f1), plus the lane calibration a serial
 * board needs (the harness store has none; the gateway accepts raw readings either way).
 */
import { parseConfig } from '../../gateway/config/load.ts'
import { resolveAdapters, type ResolvedAdapter } from '../../devices/adapters/config.ts'

export const CAL_L1 = { zeroCounts: 81_234, countsPerGram: 420 }
export const CAL_L2 = { zeroCounts: -50_000, countsPerGram: -400 }

export const adapterStore = parseConfig(
  `
store: { id: s1, name: Test store }
dataDir: /tmp/shelfgate-adapters-unused
shelves:
  - id: A1
    device: shelf-a1
    lanes:
      - { id: L1, name: Milk, unitWeight: 262, capacity: 24, restockAt: 6, calibration: { zeroCounts: ${CAL_L1.zeroCounts}, countsPerGram: ${CAL_L1.countsPerGram} } }
      - { id: L2, name: Eggs, unitWeight: 610, capacity: 8, restockAt: 2, calibration: { zeroCounts: ${CAL_L2.zeroCounts}, countsPerGram: ${CAL_L2.countsPerGram} } }
coldUnits:
  - { id: F1, name: Dairy fridge, class: chilled, device: cold-f1 }
`,
  'adapters-test.yaml',
)

export function one<T extends ResolvedAdapter>(raw: unknown): T {
  return resolveAdapters([raw], adapterStore)[0] as T
}

/** Polls until `check` is true; bounded. */
export async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs
  while (Date.now() < end) {
    if (check()) return
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
}
