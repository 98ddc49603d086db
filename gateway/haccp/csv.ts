/**
 * HACCP report as CSV for spreadsheets: UTF-8 with a BOM (so Excel opens Chinese text correctly), CRLF
 * line ends and quoting per RFC 4180, ISO 8601 times with the store's offset, one header row. One table:
 * a `record` column tells summary, excursion, gap and calibration rows apart, so it filters cleanly.
 */
import { haccpStrings, type HaccpLang } from './i18n.ts'
import type { HaccpReport } from './report.ts'
import { isoWithOffset } from './time.ts'

type Cell = string | number | null

/** RFC 4180 quoting; text that a spreadsheet would run as a formula is prefixed with ' (OWASP CSV injection). */
export function csvCell(v: Cell): string {
  if (v === null) return ''
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : ''
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v
  return /[",\r\n]/.test(safe) || safe !== safe.trim() ? `"${safe.replaceAll('"', '""')}"` : safe
}

export function renderHaccpCsv(report: HaccpReport, lang: HaccpLang = report.lang): string {
  const s = haccpStrings[lang]
  const t = (ms: number | null): string | null => (ms === null ? null : isoWithOffset(ms, report.timeZone))
  const header = [s.record, s.unit, s.unitName, s.start, s.end, s.durationMin, s.min, s.mean, s.max, s.mkt, s.minutesAbove, s.peak, s.degreeMinutes, s.level, s.acknowledgedBy, s.acknowledgedAt, s.correctiveAction, s.closing, s.offset, s.reference, s.by]
  const u = report.unit
  const st = report.stats
  const rows: Cell[][] = [
    [s.summary, u.id, u.name, t(report.from), t(report.to), Math.round((report.to - report.from) / 60_000), st.minC, st.meanC, st.maxC, st.mktC, st.minutesAboveLimit, null, null, null, null, null, null, null, null, null, null],
  ]
  for (const x of report.excursions) {
    rows.push([s.excursion, u.id, u.name, t(x.start), x.end === null ? s.open : t(x.end), Math.round(x.durationMin), null, null, null, null, null, x.peakC, x.degreeMinutes, x.level, x.acknowledgedBy, t(x.acknowledgedAt), x.correctiveAction, x.closingReadingC, null, null, null])
  }
  for (const g of report.gaps) {
    rows.push([s.gap, u.id, u.name, t(g.from), t(g.to), g.minutes, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null])
  }
  for (const c of report.calibrations) {
    rows.push([s.calibration, u.id, u.name, t(c.date), null, null, null, null, null, null, null, null, null, null, null, null, null, null, c.offsetC, c.referenceInstrument, c.by])
  }
  return '\uFEFF' + [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n'
}
