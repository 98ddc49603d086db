import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { startHarness, TEST_STORE_YAML } from '../support/gatewayHarness.ts'

const dir = mkdtempSync(join(tmpdir(), 'shelfgate-calibrate-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function shelfgate(...args: string[]) {
  const r = spawnSync(process.execPath, ['gateway/cli/main.ts', ...args], { encoding: 'utf8', timeout: 30_000 })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

describe('calibration records', () => {
  it('records a probe check against a reference thermometer and shows it in the HACCP report', async () => {
    const dataDir = join(dir, 'data')
    const config = join(dir, 'store.yaml')
    writeFileSync(config, TEST_STORE_YAML(dataDir))
    const h = await startHarness({ dataDir })
    await h.stop()

    const r = shelfgate('calibrate', '--config', config, '--unit', 'F1', '--reference-c', '3.0', '--measured-c', '3.4', '--instrument', 'Testo 104 SN 4711', '--by', '王店长', '--at', '2026-11-20T09:30:00+08:00')
    expect(r.code, r.err).toBe(0)
    expect(r.out).toContain('offset +0.4 °C')

    const out = join(dir, 'F1.csv')
    const report = shelfgate('report', 'haccp', '--config', config, '--unit', 'F1', '--from', '2026-11-01T00:00:00+08:00', '--to', '2026-11-30T00:00:00+08:00', '--format', 'csv', '--lang', 'en', '--out', out)
    expect(report.code, report.err).toBe(0)
    const calibrationRow = readFileSync(out, 'utf8').split('\n').find((l) => l.includes('Testo 104 SN 4711'))
    expect(calibrationRow).toContain('0.4')
    expect(calibrationRow).toContain('王店长')
  })

  it('refuses an unknown unit, naming the configured ones', () => {
    const config = join(dir, 'other.yaml')
    writeFileSync(config, TEST_STORE_YAML(join(dir, 'other-data')))
    const r = shelfgate('calibrate', '--config', config, '--unit', 'Z9', '--reference-c', '3', '--measured-c', '3', '--instrument', 'x', '--by', 'y')
    expect(r.code).toBe(2)
    expect(r.err).toContain('--unit must be one of the cold units')
    expect(r.err).toContain('F1')
  })
})
