/** The cold chain wired into a running gateway: readings over MQTT in, conditions, retained state and HACCP rows out. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { chromium } from 'playwright-core'
import type { MqttClient } from 'mqtt'
import { collect, eventually, startHarness, TEST_STORE_YAML, type Harness } from '../support/gatewayHarness.ts'
import { createColdChainService } from '../../gateway/cold/service.ts'
import { reportHaccpCommand } from '../../gateway/cli/commands/reportHaccp.ts'
import { HaccpStore } from '../../gateway/haccp/store.ts'
import { haccpStrings } from '../../gateway/haccp/i18n.ts'
import type { ConditionChange } from '../../gateway/contract/conditions.ts'

let h: Harness | undefined
const dirs: string[] = []
afterEach(async () => {
  await h?.stop()
  h = undefined
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

const MIN = 60_000

/** A fridge probe reporting every 30 s, with device timestamps (so minutes of history take milliseconds). */
async function play(client: MqttClient, from: number, minutes: number, c: (minute: number) => number): Promise<number> {
  let t = from
  for (let i = 0; i <= minutes * 2; i++) {
    t = from + i * 30_000
    await client.publishAsync('shelfgate/s1/cold/F1/temp', JSON.stringify({ c: c(i / 2), ts: t }), { qos: 1 })
  }
  return t
}

describe('cold chain in the running gateway', () => {
  it('warns after 15 minutes above 5 °C, publishes the unit state retained, and records the closed excursion for HACCP', async () => {
    h = await startHarness({ gateway: { services: [createColdChainService({ tickMs: 50 })] } })
    const conditions: ConditionChange[] = []
    h.gw.bus.on('condition', {}, (c) => void conditions.push(c))
    const fridge = await h.connect('cold-f1')
    const start = Date.now() - 40 * MIN
    // 5 min normal, then 20 min at 7 °C (a failing compressor), then back to 3 °C.
    await play(fridge, start, 40, (m) => (m < 5 ? 3 : m < 25 ? 7 : 3))
    await eventually(() => conditions.some((c) => c.rule === 'cold.excursion.warning' && !c.active), 5000, 'warning raised and cleared')
    const raised = conditions.find((c) => c.rule === 'cold.excursion.warning' && c.active)!
    expect(raised).toMatchObject({ subject: 'cold/F1', severity: 'warning', area: 'fresh' })
    expect(conditions.some((c) => c.rule === 'cold.excursion.alarm')).toBe(false)

    const haccp = new HaccpStore(h.gw.storage!.store.db)
    await eventually(async () => (await haccp.excursions('F1', start, Date.now())).some((x) => x.end !== null), 5000, 'closed HACCP row')
    const [x] = await haccp.excursions('F1', start, Date.now())
    expect(x).toMatchObject({ unit: 'F1', peakC: 7, level: 'warning', closingReadingC: 3 })
    // The record runs from the limit crossing (at or up to one reading before the first warm reading) to the recovery.
    expect(x!.start).toBeGreaterThanOrEqual(start + 5 * MIN - 30_000)
    expect(x!.start).toBeLessThanOrEqual(start + 5 * MIN)
    expect(x!.end).toBeGreaterThanOrEqual(start + 25 * MIN - 30_000)
    expect(x!.end).toBeLessThanOrEqual(start + 25 * MIN + 30_000)

    const ops = await h.connect('ops')
    const got = collect(ops)
    await ops.subscribeAsync('shelfgate/s1/state/cold/F1', { qos: 1 })
    await eventually(() => got.some((m) => m.retain), 3000, 'retained cold state')
    expect(JSON.parse(got.at(-1)!.payload)).toMatchObject({ id: 'F1', status: 'ok', tempC: 3, limitC: 5, doorOpen: false })
    expect(h.gw.shared.cold!.units()[0]).toMatchObject({ id: 'F1', status: 'ok', tempC: 3 })
  })

  it('exports the HACCP report as a spreadsheet-friendly CSV and a printable HTML page that renders in Chromium', async () => {
    const root = mkdtempSync(join(tmpdir(), 'shelfgate-haccp-'))
    dirs.push(root)
    const dataDir = join(root, 'data')
    h = await startHarness({ dataDir, gateway: { services: [createColdChainService({ tickMs: 50 })] } })
    const fridge = await h.connect('cold-f1')
    const start = Math.floor((Date.now() - 50 * MIN) / MIN) * MIN
    await play(fridge, start, 40, (m) => (m < 5 ? 3 : m < 25 ? 7 : 3))
    const haccp = new HaccpStore(h.gw.storage!.store.db)
    await eventually(async () => (await haccp.excursions('F1', start, Date.now())).some((x) => x.end !== null), 5000, 'closed HACCP row')
    await h.stop() // flushes the rollups
    h = undefined

    const configFile = join(root, 'store.yaml')
    writeFileSync(configFile, TEST_STORE_YAML(dataDir))
    const csvFile = join(root, 'F1.csv')
    const args = { config: configFile, unit: 'F1', from: new Date(start).toISOString(), to: new Date(start + 45 * MIN).toISOString() }
    expect(await reportHaccpCommand.run({ ...args, format: 'csv', lang: 'zh-CN', out: csvFile }, [])).toBe(0)
    const csv = readFileSync(csvFile, 'utf8')
    expect(csv.charCodeAt(0)).toBe(0xfeff)
    const lines = csv.slice(1).split('\r\n')
    expect(lines.length).toBeGreaterThanOrEqual(3) // header, summary, excursion
    const excursion = lines.find((l) => l.startsWith(`${haccpStrings['zh-CN'].excursion},`))
    expect(excursion).toMatch(/^[^,]+,F1,Dairy fridge,\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00,/)
    expect(csv).toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}/)
    const summary = lines[1]!.split(',')
    expect(summary).toContain('7') // max from the rollups
    expect(summary).toContain('3') // min

    const htmlFile = join(root, 'F1.html')
    expect(await reportHaccpCommand.run({ ...args, format: 'html', lang: 'en', out: htmlFile }, [])).toBe(0)
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] })
    try {
      const page = await browser.newPage()
      await page.setContent(readFileSync(htmlFile, 'utf8'))
      const text = await page.textContent('body')
      expect(text).toContain('Dairy fridge')
      mkdirSync('test-artifacts', { recursive: true })
      await page.screenshot({ path: 'test-artifacts/haccp-report-F1.png', fullPage: true })
    } finally {
      await browser.close()
    }
  })
})
