/**
 * Builds a unit's HACCP report from the SQLite file. Temperatures come from the 1-minute rollups
 * (complete: every reading the gateway accepted, kept ≥ 2 years) as one sample per minute at its
 * mean; raw rows fill minutes without a rollup (the minute still open, or a database without rollups).
 * Raw rows alone would not do: the deadband stores a steady fridge only every few minutes, which
 * the report would print as data gaps, and raw rows are pruned after days. Min and max are the
 * rollups' true extremes, not the minute means.
 */
import type { ColdTempReading } from '../contract/readings.ts'
import type { ResolvedColdUnit } from '../../devices/cold/limits.ts'
import type { SqliteStore } from '../store/sqliteStore.ts'
import type { HaccpLang } from './i18n.ts'
import { buildHaccpReport, type HaccpReport } from './report.ts'
import { HaccpStore } from './store.ts'

const MINUTE = 60_000

export async function loadHaccpReport(
  store: SqliteStore,
  input: { unit: ResolvedColdUnit; from: number; to: number; lang: HaccpLang; timeZone: string },
): Promise<HaccpReport> {
  const { unit, from, to } = input
  const subject = `cold/${unit.id}`
  const rollups = await store.listRollups({ subject, metric: `temp.${unit.probe}`, from: from - (from % MINUTE), to })
  const minutes = new Set(rollups.map((r) => r.minute))
  const readings: ColdTempReading[] = rollups
    .filter((r) => r.count > 0)
    .map((r) => ({ kind: 'cold.temp', device: 'rollup', unit: unit.id, probe: unit.probe, ts: Math.max(from, r.minute), c: Math.round((r.sum / r.count) * 100) / 100 }))
  for (const r of await store.readings({ subject, from, to })) {
    if (r.kind === 'cold.temp' && r.probe === unit.probe && !minutes.has(r.ts - (r.ts % MINUTE))) readings.push(r)
  }
  const haccp = new HaccpStore(store.db)
  const report = buildHaccpReport({
    unit,
    from,
    to,
    readings,
    excursions: await haccp.excursions(unit.id, from, to),
    calibrations: await haccp.calibrations(unit.id, from, to),
    lang: input.lang,
    timeZone: input.timeZone,
  })
  const inside = rollups.filter((r) => r.minute >= from - (from % MINUTE) && r.minute < to)
  if (inside.length) {
    const min = Math.min(...inside.map((r) => r.min))
    const max = Math.max(...inside.map((r) => r.max))
    report.stats.minC = report.stats.minC === null ? min : Math.min(report.stats.minC, min)
    report.stats.maxC = report.stats.maxC === null ? max : Math.max(report.stats.maxC, max)
  }
  return report
}
