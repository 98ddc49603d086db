import { describe, expect, it } from 'vitest'
import type { ColdTempReading } from '../../gateway/contract/readings.ts'
import { renderHaccpCsv } from '../../gateway/haccp/csv.ts'
import { renderHaccpHtml } from '../../gateway/haccp/html.ts'
import { meanKineticTemperature } from '../../gateway/haccp/mkt.ts'
import type { ExcursionRecord } from '../../gateway/haccp/records.ts'
import { buildHaccpReport } from '../../gateway/haccp/report.ts'
import { mustResolveColdUnit } from '../../devices/cold/limits.ts'

const minute = 60_000
const from = Date.UTC(2026, 10, 1, 16, 0, 0) // 2026-11-02 00:00 in Shanghai
const unit = mustResolveColdUnit({ id: 'F1', name: '乳品冷柜', class: 'chilled', readingIntervalS: 60 })
const reading = (min: number, c: number): ColdTempReading => ({ kind: 'cold.temp', device: 'cold-f1', unit: 'F1', ts: from + min * minute, c, probe: 'air' })
const excursion: ExcursionRecord = {
  unit: 'F1', start: from + 30 * minute, end: from + 50 * minute, peakC: 7.2, durationMin: 20, degreeMinutes: 31.5, level: 'warning',
  acknowledgedBy: '李店员', acknowledgedAt: from + 46 * minute, correctiveAction: 'Moved yoghurt to F2, "door seal" checked', closingReadingC: 4.4,
}

function report(lang: 'en' | 'zh-CN' = 'en') {
  // 2 °C for the first hour, a 20-minute gap, then 6 °C for 40 minutes.
  const readings = [...Array.from({ length: 60 }, (_, i) => reading(i, 2)), ...Array.from({ length: 40 }, (_, i) => reading(80 + i, 6))]
  return buildHaccpReport({
    unit, from, to: from + 120 * minute, readings, excursions: [excursion], lang, timeZone: 'Asia/Shanghai',
    calibrations: [{ unit: 'F1', date: from + 5 * minute, offsetC: -0.2, referenceInstrument: 'Testo 104 (NIST-traceable)', by: '王店长' }],
  })
}

describe('mean kinetic temperature', () => {
  it('matches a hand-computed value for 20 °C and 30 °C held equally long (26.26 °C)', () => {
    // ΔH/R = 83144 / 8.314462618 = 9999.92 K; e^(−ΔH/R/293.15) = 1.5324e−15, e^(−ΔH/R/303.15) = 4.7212e−15;
    // mean 3.1268e−15; −ln(mean) = 33.3988; T = 9999.92 / 33.3988 = 299.410 K = 26.260 °C.
    expect(meanKineticTemperature([{ c: 20, weight: 1 }, { c: 30, weight: 1 }])).toBeCloseTo(26.26, 2)
  })

  it('weights each temperature by how long it was held (3 h at 2 °C, 1 h at 8 °C → 3.96 °C)', () => {
    expect(meanKineticTemperature([{ c: 2, weight: 3 }, { c: 8, weight: 1 }])).toBeCloseTo(3.959, 3)
  })

  it('equals the temperature itself when it never changed', () => {
    expect(meanKineticTemperature([{ c: 4, weight: 5 }, { c: 4, weight: 7 }])).toBeCloseTo(4, 9)
  })
})

describe('HACCP report', () => {
  it('computes min, time-weighted mean, max, MKT and minutes above the limit', () => {
    const r = report()
    expect(r.stats).toMatchObject({ readings: 100, minC: 2, maxC: 6, minutesAboveLimit: 40 })
    // Each reading holds until the next, but never across the gap (at most 3 minutes).
    expect(r.stats.meanC).toBeCloseTo((2 * 62 + 6 * 40) / 102, 2)
    expect(r.stats.mktC).toBeGreaterThan(r.stats.meanC!)
  })

  it('lists data gaps longer than three reading intervals', () => {
    expect(report().gaps).toEqual([{ from: from + 59 * minute, to: from + 80 * minute, minutes: 21 }])
  })

  it('exports CSV with a BOM, a header row, ISO 8601 times with the store offset and quoted text', () => {
    const csv = renderHaccpCsv(report())
    expect(csv.startsWith('\uFEFFRecord,Unit,Name,Start,End,')).toBe(true)
    const lines = csv.slice(1).split('\r\n')
    expect(lines[1]).toMatch(/^summary,F1,乳品冷柜,2026-11-02T00:00:00\+08:00,2026-11-02T02:00:00\+08:00,120,2,/)
    expect(lines[2]).toContain('"Moved yoghurt to F2, ""door seal"" checked"')
    expect(lines[2]).toContain('2026-11-02T00:46:00+08:00')
    expect(csv.endsWith('\r\n')).toBe(true)
  })

  it('neutralises a corrective action that a spreadsheet would run as a formula', () => {
    const r = report()
    r.excursions[0]!.correctiveAction = '=HYPERLINK("http://x")'
    expect(renderHaccpCsv(r)).toContain(`"'=HYPERLINK(""http://x"")"`)
  })

  it('prints the CSV header in Chinese for a zh-CN store', () => {
    expect(renderHaccpCsv(report('zh-CN')).startsWith('\uFEFF记录类型,设备,名称,')).toBe(true)
  })

  it('renders a self-contained printable HTML page with excursions, gaps and calibrations', () => {
    const html = renderHaccpHtml(report('zh-CN'))
    expect(html).toContain('<html lang="zh-CN">')
    expect(html).toContain('@media print')
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\//)
    expect(html).toContain('HACCP 温度记录')
    expect(html).toContain('Moved yoghurt to F2, &quot;door seal&quot; checked')
    expect(html).toContain('2026-11-02T00:59:00+08:00')
    expect(html).toContain('Testo 104 (NIST-traceable)')
  })
})
