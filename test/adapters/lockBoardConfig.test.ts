/** The lock-board adapter's config: the lockers[].bus shorthand, cross-checks, the slot map. */
import { describe, expect, it } from 'vitest'
import { parseConfig } from '../../gateway/config/load.ts'
import { AdapterConfigError, resolveAdapters, type ResolvedLockBoardConfig } from '../../devices/adapters/config.ts'
import { slotMap } from '../../devices/adapters/lockBoard/slotMap.ts'
import { describeLockBoard } from '../../devices/adapters/lockBoard/describe.ts'

const store = (locker: string) =>
  parseConfig(
    `
store: { id: s1, name: Test store }
dataDir: /tmp/shelfgate-adapters-unused
lockers:
  - ${locker}
`,
    'lockers-test.yaml',
  )

const problems = (raw: unknown, yaml: string): string[] => {
  try {
    resolveAdapters(raw, store(yaml))
  } catch (err) {
    if (err instanceof AdapterConfigError) return err.problems
    throw err
  }
  return []
}

describe('lock-board adapter config', () => {
  it('turns lockers[].bus of the shared example store.yaml into a lock-board adapter', () => {
    const [a] = resolveAdapters(undefined, store('{ id: K1, name: 团购自提柜, device: locker-k1, bus: { port: /dev/ttyUSB1, protocol: rs485-lockboard, boards: [1, 2] }, compartments: { count: 24, chilled: [1, 2, 3, 4], frozen: [5, 6] } }'))
    expect(a).toMatchObject({ id: 'lockboard-K1', kind: 'lock-board', device: 'locker-k1', locker: 'K1', port: '/dev/ttyUSB1', boards: [1, 2], locksPerBoard: 24, baudRate: 9600, compartments: 24 })
    expect(describeLockBoard(a as ResolvedLockBoardConfig)[0]).toBe('  board 1 locks 1…24 → locker K1 slots 1…24')
  })

  it('refuses boards that do not cover every compartment, and a device that is not the locker\'s', () => {
    const p = problems(
      [{ id: 'b', kind: 'lock-board', device: 'other', locker: 'K1', port: '/dev/x', boards: [1], locksPerBoard: 8 }],
      '{ id: K1, name: L, device: locker-k1, compartments: { count: 12 } }',
    )
    expect(p).toEqual([
      'adapters[0].device: "other" is in no shelf, cold unit or devices entry of the store config',
      'adapters[0].boards: 1 board(s) × 8 locks cover slots 1…8, but locker K1 has 12 compartments',
    ])
  })

  it('refuses a bus with an unknown protocol', () => {
    expect(problems(undefined, '{ id: K1, name: L, device: locker-k1, bus: { port: /dev/x, protocol: modbus, boards: [1] }, compartments: { count: 4 } }')).toEqual([
      'lockers[0].bus.protocol: unknown protocol "modbus" (known: rs485-lockboard)',
    ])
  })

  it('maps slots to boards in the listed order and back', () => {
    const m = slotMap([3, 1], 24, 30)
    expect(m.lockFor(1)).toEqual({ board: 3, lock: 1 })
    expect(m.lockFor(24)).toEqual({ board: 3, lock: 24 })
    expect(m.lockFor(25)).toEqual({ board: 1, lock: 1 })
    expect(m.lockFor(31)).toBeUndefined() // beyond the locker's compartments
    expect(m.slotFor(1, 6)).toBe(30)
    expect(m.slotFor(1, 7)).toBeUndefined()
    expect(m.slotFor(2, 1)).toBeUndefined()
  })
})
