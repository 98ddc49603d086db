import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const dir = mkdtempSync(join(tmpdir(), 'shelfgate-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function shelfgate(...args: string[]) {
  const r = spawnSync(process.execPath, ['gateway/cli/main.ts', ...args], { encoding: 'utf8', timeout: 30_000 })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

const good = (dataDir: string) => `store: { id: s1, name: Test }
dataDir: ${dataDir}
coldUnits:
  - { id: F1, name: Fridge, class: chilled, device: cold-f1 }
`

describe('shelfgate CLI', () => {
  it('prints one clear error with file:line and exits with 2 for a broken config', () => {
    const file = join(dir, 'broken.yaml')
    writeFileSync(file, `store: { id: s1, name: Test }\ndataDir: /tmp/x\ncoldUnits:\n  - { id: F1, name: Fridge, class: chiled }\n`)
    const r = shelfgate('config', 'check', file)
    expect(r.code).toBe(2)
    expect(r.err).toContain(`${file}:4: coldUnits[0].class:`)
    expect(r.err).toContain('"chiled"')
    expect(r.err.trim().split('\n')).toHaveLength(2)
  })

  it('exits with 2 and names the file when the config file does not exist', () => {
    const r = shelfgate('gateway', '--config', join(dir, 'missing.yaml'))
    expect(r.code).toBe(2)
    expect(r.err).toContain('missing.yaml: file not found')
  })

  it('summarises a good config', () => {
    const file = join(dir, 'good.yaml')
    writeFileSync(file, good(join(dir, 'data')))
    const r = shelfgate('config', 'check', file)
    expect(r.code).toBe(0)
    expect(r.out).toContain('OK — store s1')
  })

  it('adds a device, prints its password once and stores only a scrypt hash', () => {
    const file = join(dir, 'good.yaml')
    writeFileSync(file, good(join(dir, 'data')))
    const r = shelfgate('device', 'add', 'cold-f1', '--config', file)
    expect(r.code).toBe(0)
    const password = /\n {2}(\S+)\n/.exec(r.out)?.[1]
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/)
    const stored = readFileSync(join(dir, 'data', 'credentials.json'), 'utf8')
    expect(stored).not.toContain(password)
    expect(stored).toContain('"hash": "scrypt$')
    const list = shelfgate('device', 'list', '--config', file)
    expect(list.out).toMatch(/cold-f1\s+cold\s+F1\s+active since/)
  })

  it.each(['demo', 'gateway', 'sim', 'adapter', 'config check', 'device add', 'device list', 'device revoke', 'backup', 'restore', 'report haccp', 'calibrate', 'staff hash-password'])('has --help for "%s"', (name) => {
    const r = shelfgate(...name.split(' '), '--help')
    expect(r.code).toBe(0)
    expect(r.out).toContain(`Usage: shelfgate ${name}`)
  })

  it('rejects an unknown option with exit code 2 and points at --help', () => {
    const r = shelfgate('demo', '--frobnicate')
    expect(r.code).toBe(2)
    expect(r.err).toContain('shelfgate demo --help')
  })
})

describe('shelfgate gateway start-up errors', () => {
  it('says which port is taken and what to change, and exits with 1 instead of hanging', async () => {
    const { createServer } = await import('node:net')
    const blocker = createServer()
    const port = await new Promise<number>((r) => blocker.listen(0, '127.0.0.1', () => r((blocker.address() as { port: number }).port)))
    try {
      const file = join(dir, 'busy.yaml')
      writeFileSync(file, `store: { id: s1, name: Test }\nlisteners: { mqtt: { host: 127.0.0.1, port: ${port} }, http: { host: 127.0.0.1, port: 0 } }\ndataDir: ${join(dir, 'busy-data')}\n`)
      const r = shelfgate('gateway', '--config', file)
      expect(r.code).toBe(1)
      expect(r.err).toContain(`cannot listen for MQTT on 127.0.0.1:${port}: the port is already in use`)
      expect(r.err).not.toContain('    at ')
    } finally {
      blocker.close()
    }
  })
})

describe('a damaged database at start', () => {
  it('names the file and the restore command, without a stack trace', async () => {
    const { mkdirSync } = await import('node:fs')
    const { randomBytes } = await import('node:crypto')
    const dataDir = join(dir, 'corrupt-data')
    mkdirSync(dataDir, { recursive: true })
    writeFileSync(join(dataDir, 'shelfgate.db'), randomBytes(8192))
    const file = join(dir, 'corrupt.yaml')
    writeFileSync(file, `store: { id: s1, name: Test }\nlisteners: { mqtt: { host: 127.0.0.1, port: 0 }, http: { host: 127.0.0.1, port: 0 } }\ndataDir: ${dataDir}\n`)
    const r = shelfgate('gateway', '--config', file)
    expect(r.code).toBe(1)
    expect(r.err).toContain(`${join(dataDir, 'shelfgate.db')} is not a readable Shelfgate database`)
    expect(r.err).toContain('shelfgate restore BACKUP')
    expect(r.err).not.toContain('    at ')
  })
})
