/**
 * HACCP report as one self-contained printable HTML page: inline CSS with print rules, no scripts,
 * no external assets, every value escaped.
 */
import { haccpStrings, type HaccpLang } from './i18n.ts'
import type { HaccpReport } from './report.ts'
import { isoWithOffset } from './time.ts'

export function escapeHtml(v: string): string {
  return v.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;')
}

const css = `
body{font-family:system-ui,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:2rem;color:#111;font-size:14px}
h1{font-size:1.4rem;margin:0 0 .5rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem;border-bottom:1px solid #999}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;padding:.25rem .4rem;text-align:left;vertical-align:top}
th{background:#eee}td.n{text-align:right;font-variant-numeric:tabular-nums}.bad{color:#a00;font-weight:600}
.muted{color:#555}.sign{margin-top:2.5rem;border-top:1px solid #111;width:22rem;padding-top:.3rem}
@media print{body{margin:1cm;font-size:11pt}h2{break-after:avoid}tr{break-inside:avoid}th{background:#eee!important;-webkit-print-color-adjust:exact;print-color-adjust:exact}}
@page{size:A4;margin:1.5cm}`

export function renderHaccpHtml(report: HaccpReport, lang: HaccpLang = report.lang, generatedAt?: number): string {
  const s = haccpStrings[lang]
  const e = (v: string | number | null | undefined): string => (v === null || v === undefined ? '' : escapeHtml(String(v)))
  const t = (ms: number | null): string => (ms === null ? '' : e(isoWithOffset(ms, report.timeZone)))
  const n = (v: number | null, digits = 1): string => `<td class="n">${v === null ? '' : e(v.toFixed(digits))}</td>`
  const u = report.unit
  const st = report.stats
  const excursions =
    report.excursions.length === 0
      ? `<p>${e(s.noExcursions)}</p>`
      : `<table><thead><tr><th>${e(s.start)}</th><th>${e(s.end)}</th><th>${e(s.durationMin)}</th><th>${e(s.peak)}</th><th>${e(s.degreeMinutes)}</th><th>${e(s.level)}</th><th>${e(s.acknowledgedBy)}</th><th>${e(s.acknowledgedAt)}</th><th>${e(s.correctiveAction)}</th><th>${e(s.closing)}</th></tr></thead><tbody>` +
        report.excursions
          .map(
            (x) =>
              `<tr><td>${t(x.start)}</td><td>${x.end === null ? e(s.open) : t(x.end)}</td>${n(x.durationMin, 0)}<td class="n bad">${e(x.peakC.toFixed(1))}</td>${n(x.degreeMinutes)}<td>${e(x.level)}</td><td>${e(x.acknowledgedBy)}</td><td>${t(x.acknowledgedAt)}</td><td>${e(x.correctiveAction)}</td>${n(x.closingReadingC)}</tr>`,
          )
          .join('') +
        '</tbody></table>'
  const gaps =
    report.gaps.length === 0
      ? `<p>${e(s.noGaps)}</p>`
      : `<table><thead><tr><th>${e(s.from)}</th><th>${e(s.to)}</th><th>${e(s.durationMin)}</th></tr></thead><tbody>` +
        report.gaps.map((g) => `<tr><td>${t(g.from)}</td><td>${t(g.to)}</td>${n(g.minutes, 0)}</tr>`).join('') +
        '</tbody></table>'
  const calibrations =
    report.calibrations.length === 0
      ? `<p>${e(s.noCalibrations)}</p>`
      : `<table><thead><tr><th>${e(s.date)}</th><th>${e(s.offset)}</th><th>${e(s.reference)}</th><th>${e(s.by)}</th></tr></thead><tbody>` +
        report.calibrations.map((c) => `<tr><td>${t(c.date)}</td>${n(c.offsetC, 2)}<td>${e(c.referenceInstrument)}</td><td>${e(c.by)}</td></tr>`).join('') +
        '</tbody></table>'
  return `<!doctype html>
<html lang="${e(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${e(s.title)} — ${e(u.name)}</title><style>${css}</style></head><body>
<h1>${e(s.title)}</h1>
<p><b>${e(s.unit)}:</b> ${e(u.id)} — ${e(u.name)} (${e(u.class)}) · <b>${e(s.limit)}:</b> ≤ ${e(u.maxC)} °C<br>
<b>${e(s.period)}:</b> ${t(report.from)} — ${t(report.to)}</p>
<table><thead><tr><th>${e(s.readings)}</th><th>${e(s.min)}</th><th>${e(s.mean)}</th><th>${e(s.max)}</th><th>${e(s.mkt)}</th><th>${e(s.minutesAbove)}</th><th>${e(s.coverage)}</th></tr></thead>
<tbody><tr>${n(st.readings, 0)}${n(st.minC)}${n(st.meanC)}${n(st.maxC)}${n(st.mktC)}<td class="n${st.minutesAboveLimit > 0 ? ' bad' : ''}">${e(st.minutesAboveLimit)}</td>${n(st.coverage * 100, 1).replace('</td>', ' %</td>')}</tr></tbody></table>
<p class="muted">${e(s.mktNote)}</p>
<h2>${e(s.excursions)}</h2>${excursions}
<h2>${e(s.gaps)}</h2>${gaps}
<h2>${e(s.calibrations)}</h2>${calibrations}
${generatedAt === undefined ? '' : `<p class="muted">${e(s.generated)}: ${t(generatedAt)}</p>`}
<p class="sign">${e(s.signature)}</p>
</body></html>
`
}
