import { describe, expect, it } from 'vitest'
import { ConfigError, parseConfig } from '../../gateway/config/load.ts'

const base = `store: { id: s1, name: Test }
dataDir: /tmp/x
`

function problems(yaml: string, env: NodeJS.ProcessEnv = {}): string {
  try {
    parseConfig(yaml, 'store.yaml', env)
  } catch (err) {
    if (err instanceof ConfigError) return err.message
    throw err
  }
  throw new Error('expected a config error')
}

describe('store config', () => {
  it('accepts a minimal config and fills in the documented defaults', () => {
    const c = parseConfig(base, 'store.yaml', {})
    expect(c.listeners.mqtt).toEqual({ host: '127.0.0.1', port: 1883 })
    expect(c.broker.maxPayloadBytes).toBe(1024)
  })

  it('names the file, line and key path of a lane weight given as text', () => {
    const yaml = `${base}shelves:
  - id: A1
    lanes:
      - { id: L1, name: Milk, unitWeight: 262, capacity: 24 }
      - id: L2
        name: Eggs
        unitWeight: "12g"
        capacity: 8
`
    expect(problems(yaml)).toBe('store.yaml:9: shelves[0].lanes[1].unitWeight: expected number (got "12g")')
  })

  it('points at a misspelt key', () => {
    expect(problems(`${base}listners: {}\n`)).toMatch(/^store\.yaml:3: unknown key "listners"/)
  })

  it('reports a YAML syntax error with its line', () => {
    expect(problems(`${base}shelves: [\n  - id: A1\n`)).toMatch(/^store\.yaml:\d+: YAML: /)
  })

  it('names a missing required key at its parent', () => {
    expect(problems('store: { id: s1 }\ndataDir: /tmp/x\n')).toBe('store.yaml:1: store.name: is required (expected string)')
  })

  it('refuses an id that cannot be an MQTT topic level', () => {
    expect(problems(`${base}coldUnits:\n  - { id: "F/1", name: Fridge, class: chilled }\n`)).toMatch(/store\.yaml:4: coldUnits\[0\]\.id: must be 1–64 letters/)
  })

  it('reports a device claimed by two kinds', () => {
    const yaml = `${base}coldUnits:
  - { id: F1, name: Fridge, class: chilled, device: board-1 }
lockers:
  - { id: K1, name: Locker, device: board-1, compartments: { count: 4 } }
`
    expect(problems(yaml)).toBe('store.yaml:6: lockers[0].device: device "board-1" is a cold device and cannot also report locker data')
  })

  it('reports duplicate ids with where the first one is', () => {
    const yaml = `${base}coldUnits:
  - { id: F1, name: Fridge, class: chilled }
  - { id: F1, name: Freezer, class: frozen }
`
    expect(problems(yaml)).toMatch(/store\.yaml:5: coldUnits\[1\]\.id: duplicate cold unit id "F1"/)
  })

  it('substitutes ${VAR} from the environment and names a missing variable with its line', () => {
    const yaml = `${base}cloud:\n  influx: { password: \${INFLUX_PASSWORD} }\n`
    expect((parseConfig(yaml, 'store.yaml', { INFLUX_PASSWORD: 's3cret' }).cloud as { influx: { password: string } }).influx.password).toBe('s3cret')
    expect(problems(yaml)).toBe('store.yaml:4: environment variable INFLUX_PASSWORD is not set (export it, or put it in the service\'s EnvironmentFile)')
  })
})

describe('the documented example config', () => {
  it('validates, with its secrets taken from the environment', async () => {
    const { readFileSync } = await import('node:fs')
    const env = { WECOM_KEY: 'k', NTFY_TOKEN: 't', INFLUX_PASSWORD: 'p', NODE_RED_ADMIN_HASH: 'h' }
    const c = parseConfig(readFileSync('docs/store.example.yaml', 'utf8'), 'docs/store.example.yaml', env)
    expect(c.store.id).toBe('sh-pudong-0412')
    expect(c.coldUnits.map((u) => u.id)).toEqual(['F1', 'Z1', 'R1'])
  })
})

describe('GPIO door contacts', () => {
  it('names the line of a door contact whose cold unit does not exist', () => {
    const yaml = `${base}coldUnits:\n  - { id: F1, name: Fridge, class: chilled }\ngpio:\n  - { pin: 17, role: door, coldUnit: F9 }\n`
    expect(problems(yaml)).toBe('store.yaml:6: gpio[0].coldUnit: a door contact needs the id of a configured cold unit (got "F9")')
  })
})
