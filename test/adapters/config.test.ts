import { describe, expect, it } from 'vitest'
import { parseConfig } from '../../gateway/config/load.ts'
import { AdapterConfigError, resolveAdapters, type ResolvedColdConfig } from '../../devices/adapters/config.ts'

const store = parseConfig(
  `
store: { id: s1, name: Test }
dataDir: /tmp/x
shelves:
  - id: A1
    device: shelf-a1
    lanes:
      - { id: L1, name: Milk, unitWeight: 262, capacity: 24, restockAt: 6, calibration: { zeroCounts: 8000, countsPerGram: 420 } }
      - { id: L2, name: Eggs, unitWeight: 610, capacity: 8, restockAt: 2 }
coldUnits:
  - { id: F1, name: Fridge, class: chilled, device: cold-f1 }
  - { id: Z1, name: Freezer, class: frozen, device: cold-z1, modbus: { port: /dev/ttyUSB0, unit: 3, map: dixell-xr } }
`,
  'store.yaml',
)

function problems(raw: unknown): string[] {
  try {
    resolveAdapters(raw, store)
  } catch (err) {
    if (err instanceof AdapterConfigError) return err.problems
    throw err
  }
  return []
}

describe('adapter config', () => {
  it('turns coldUnits[].modbus into a modbus-cold adapter with the built-in Dixell map', () => {
    const [a] = resolveAdapters(undefined, store) as ResolvedColdConfig[]
    expect(a).toMatchObject({ id: 'modbus-Z1', kind: 'modbus-cold', device: 'cold-z1', coldUnit: 'Z1', port: '/dev/ttyUSB0', unit: 3, mapName: 'dixell-xr', baudRate: 9600 })
    expect(a?.map.temps[0]).toMatchObject({ probe: 'air', address: 256, type: 'int16', scale: 0.1 })
  })

  it('parses "host:port" for Modbus TCP and fills the defaults', () => {
    const out = resolveAdapters(
      [{ id: 'w1', kind: 'modbus-weight', device: 'shelf-a1', tcp: '192.168.1.50:5020', lanes: [{ shelf: 'A1', lane: 'L2', address: 0, type: 'int32', wordOrder: 'low-first' }] }],
      store,
    )
    expect(out[0]).toMatchObject({ tcp: { host: '192.168.1.50', port: 5020 }, pollMs: 500, timeoutMs: 500, offlineAfter: 3, backoff: { initialMs: 1000, maxMs: 30000 } })
  })

  it('needs exactly one of a serial port or a TCP address', () => {
    expect(problems([{ id: 'w1', kind: 'modbus-weight', device: 'shelf-a1', lanes: [{ shelf: 'A1', lane: 'L1', address: 0 }] }])).toEqual([
      'adapters[0]: set exactly one of "port" (Modbus RTU serial path) or "tcp" ("host:port")',
    ])
  })

  it('refuses a serial lane without calibration, a lane of another device and an unknown map, naming each', () => {
    const p = problems([
      { id: 's1', kind: 'serial-loadcell', device: 'shelf-a1', port: '/dev/ttyACM0', channels: [{ channel: 0, shelf: 'A1', lane: 'L1' }, { channel: 1, shelf: 'A1', lane: 'L2' }] },
      { id: 'c1', kind: 'modbus-cold', device: 'cold-f1', coldUnit: 'F1', tcp: '10.0.0.5', map: 'carel-ir33' },
      { id: 'w1', kind: 'modbus-weight', device: 'cold-f1', tcp: '10.0.0.6', lanes: [{ shelf: 'A1', lane: 'L1', address: 0 }] },
    ])
    expect(p).toEqual([
      'adapters[0].channels[1]: lane A1/L2 needs shelves[].lanes[].calibration { zeroCounts, countsPerGram } in the store config',
      'adapters[1].map: unknown built-in map "carel-ir33" (known: dixell-xr), or give a register map',
      'adapters[2].lanes[0].shelf: device "cold-f1" does not report for shelf A1 (set shelves[].device)',
    ])
  })

  it('requires a bit number for a register bit and refuses one for a coil', () => {
    const p = problems([
      {
        id: 'c1', kind: 'modbus-cold', device: 'cold-f1', coldUnit: 'F1', tcp: '10.0.0.5',
        map: { temps: [{ address: 0 }], door: { source: 'holding', address: 5 }, defrost: { source: 'coil', address: 1, bit: 2 } },
      },
    ])
    expect(p).toHaveLength(2)
    expect(p[0]).toMatch(/^adapters\[0\]\.map\.door: "bit" \(0–15\) is required/)
  })
})
