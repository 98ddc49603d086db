import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { runCommand } from '../../gateway/cli/command.ts'
import { adapterCommand } from '../../gateway/cli/commands/adapter.ts'
import { loadCredentials, passwordEnvName } from '../../devices/adapters/credentials.ts'
import { toMessage } from '../../devices/adapters/outlet.ts'

const dirs: string[] = []
afterEach(() => {
  vi.restoreAllMocks()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function files(adapters: string): { config: string; adapters: string } {
  const dir = mkdtempSync(join(tmpdir(), 'shelfgate-adapter-cli-'))
  dirs.push(dir)
  const config = join(dir, 'store.yaml')
  writeFileSync(
    config,
    `store: { id: s1, name: T }
dataDir: ${JSON.stringify(join(dir, 'data'))}
shelves:
  - { id: A1, device: shelf-a1, lanes: [{ id: L1, name: Milk, unitWeight: 262, capacity: 24, restockAt: 6 }] }
coldUnits:
  - { id: Z1, name: Freezer, class: frozen, device: cold-z1, modbus: { port: /dev/ttyUSB0, unit: 3, map: dixell-xr } }
`,
  )
  const a = join(dir, 'adapters.yaml')
  writeFileSync(a, adapters)
  return { config, adapters: a }
}

function capture(): { out: string[]; err: string[] } {
  const out: string[] = []
  const err: string[] = []
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')))
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')))
  return { out, err }
}

describe('shelfgate adapter', () => {
  it('--check prints what each adapter would poll, including the coldUnits[].modbus shorthand', async () => {
    const f = files(`adapters:\n  - { id: wt1, kind: modbus-weight, device: shelf-a1, tcp: "10.0.0.9:502", lanes: [{ shelf: A1, lane: L1, address: 0, type: int32 }] }\n`)
    const { out } = capture()
    expect(await runCommand(adapterCommand, ['--check', '--config', f.config, '--adapters', f.adapters])).toBe(0)
    expect(out).toContain('wt1: modbus-weight as shelf-a1 on tcp 10.0.0.9:502')
    expect(out).toContain('  read holding 0…1 every 500 ms')
    expect(out).toContain('modbus-Z1: modbus-cold as cold-z1 on /dev/ttyUSB0')
    expect(out.some((l) => l.includes('map dixell-xr (built-in: verify'))).toBe(true)
  })

  it('exits 2 with the path of every adapter config problem', async () => {
    const f = files(`adapters:\n  - { id: wt1, kind: modbus-weight, device: shelf-a1, tcp: "10.0.0.9", lanes: [{ shelf: A1, lane: L9, address: 0 }] }\n`)
    const { err } = capture()
    expect(await runCommand(adapterCommand, ['--check', '--config', f.config, '--adapters', f.adapters])).toBe(2)
    expect(err.join('\n')).toContain(`${f.adapters}: adapters[0].lanes[0].lane: shelf A1 has no lane "L9"`)
  })
})

describe('adapter credentials and messages', () => {
  it('takes passwords from a JSON file and lets the environment override them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shelfgate-cred-'))
    dirs.push(dir)
    const file = join(dir, 'c.json')
    writeFileSync(file, JSON.stringify({ 'cold-z1': 'from-file', 'shelf-a1': 'a1-file' }))
    expect(passwordEnvName('cold-z1')).toBe('SHELFGATE_PASSWORD_COLD_Z1')
    expect(loadCredentials(['cold-z1', 'shelf-a1'], file, { SHELFGATE_PASSWORD_COLD_Z1: 'from-env' })).toEqual({ 'cold-z1': 'from-env', 'shelf-a1': 'a1-file' })
  })

  it('formats readings as topic contract v1 messages with ts and seq', () => {
    expect(toMessage('s1', { kind: 'shelf.weight', shelf: 'A1', lane: 'L1', raw: -1234, ts: 5 }, 7)).toEqual({
      topic: 'shelfgate/s1/shelf/A1/L1/weight',
      payload: { raw: -1234, ts: 5, seq: 7 },
    })
    expect(toMessage('s1', { kind: 'cold.temp', unit: 'F1', c: 3.6, probe: 'air', ts: 5 }, 8)).toEqual({
      topic: 'shelfgate/s1/cold/F1/temp',
      payload: { c: 3.6, probe: 'air', ts: 5, seq: 8 },
    })
    expect(toMessage('s1', { kind: 'cold.defrost', unit: 'F1', active: true, ts: 5 }, 9).topic).toBe('shelfgate/s1/cold/F1/defrost')
  })
})
