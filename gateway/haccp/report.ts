/**
 * A HACCP report for one cold unit and period: min/mean/max, mean kinetic temperature, minutes above
 * the holding limit, excursions with their corrective actions, calibrations, and data gaps (no reading
 * for longer than 3 expected intervals). Pure: the caller queries the store and passes the rows in.
 */
import type { ColdTempReading } from '../contract/readings.ts'
import type { ResolvedColdUnit } from '../../devices/cold/limits.ts'
import type { HaccpLang } from './i18n.ts'
import { meanKineticTemperature } from './mkt.ts'
import type { CalibrationRecord, ExcursionRecord } from './records.ts'

/** DESIGN §5: a sensor silent for 3 intervals is offline; the same silence is a gap in the record. */
export const gapIntervals = 3

export interface DataGap {
  from: number
  to: number
  minutes: number
}

export interface HaccpStats {
  readings: number
  minC: number | null
  /** Time-weighted mean. */
  meanC: number | null
  maxC: number | null
  mktC: number | null
  minutesAboveLimit: number
  /** Share of the period covered by readings (0..1). */
  coverage: number
}

export interface HaccpReport {
  unit: Pick<ResolvedColdUnit, 'id' | 'name' | 'class' | 'readingIntervalMs'> & { maxC: number }
  from: number
  to: number
  lang: HaccpLang
  /** IANA time zone for the printed times, e.g. 'Asia/Shanghai'. */
  timeZone: string
  stats: HaccpStats
  excursions: ExcursionRecord[]
  calibrations: CalibrationRecord[]
  gaps: DataGap[]
}

export interface BuildHaccpReportInput {
  unit: ResolvedColdUnit
  from: number
  to: number
  readings: readonly ColdTempReading[]
  excursions: readonly ExcursionRecord[]
  calibrations: readonly CalibrationRecord[]
  lang: HaccpLang
  timeZone?: string
}

const minute = 60_000
const round2 = (x: number): number => Math.round(x * 100) / 100

export function buildHaccpReport(input: BuildHaccpReportInput): HaccpReport {
  const { unit, from, to } = input
  const maxGap = gapIntervals * unit.readingIntervalMs
  const rs = input.readings
    .filter((r) => r.unit === unit.id && r.probe === unit.probe && r.ts >= from && r.ts < to)
    .toSorted((a, b) => a.ts - b.ts)
  const gaps: DataGap[] = []
  const addGap = (a: number, b: number): void => {
    if (b - a > maxGap) gaps.push({ from: a, to: b, minutes: Math.round((b - a) / minute) })
  }
  let min: number | null = null
  let max: number | null = null
  let weighted = 0
  let covered = 0
  let above = 0
  const samples: Array<{ c: number; weight: number }> = []
  addGap(from, rs[0]?.ts ?? to)
  rs.forEach((r, i) => {
    min = min === null ? r.c : Math.min(min, r.c)
    max = max === null ? r.c : Math.max(max, r.c)
    const next = rs[i + 1]?.ts ?? to
    addGap(r.ts, next)
    // Each reading stands for the time until the next one, but never across a gap.
    const held = Math.min(next - r.ts, maxGap)
    covered += held
    weighted += r.c * held
    if (r.c > unit.limits.maxC) above += held
    samples.push({ c: r.c, weight: held })
  })
  const mkt = meanKineticTemperature(samples)
  return {
    unit: { id: unit.id, name: unit.name, class: unit.class, readingIntervalMs: unit.readingIntervalMs, maxC: unit.limits.maxC },
    from,
    to,
    lang: input.lang,
    timeZone: input.timeZone ?? 'UTC',
    stats: {
      readings: rs.length,
      minC: min,
      meanC: covered > 0 ? round2(weighted / covered) : null,
      maxC: max,
      mktC: mkt === null ? null : round2(mkt),
      minutesAboveLimit: Math.round(above / minute),
      coverage: to > from ? Math.min(1, covered / (to - from)) : 0,
    },
    excursions: input.excursions
      .filter((x) => x.unit === unit.id && x.start < to && (x.end ?? Infinity) >= from)
      .toSorted((a, b) => a.start - b.start)
      .map((x) => ({ ...x })),
    calibrations: input.calibrations.filter((c) => c.unit === unit.id && c.date >= from && c.date < to).toSorted((a, b) => a.date - b.date).map((c) => ({ ...c })),
    gaps,
  }
}
