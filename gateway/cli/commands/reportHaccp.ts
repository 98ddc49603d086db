/** `shelfgate report haccp`: a printable HACCP record of one cold unit over a period, CSV or HTML. */
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { resolveColdUnit } from '../../../devices/cold/limits.ts'
import { coldUnitsOf } from '../../cold/units.ts'
import { loadHaccpReport } from '../../haccp/fromStore.ts'
import { renderHaccpCsv } from '../../haccp/csv.ts'
import { renderHaccpHtml } from '../../haccp/html.ts'
import type { HaccpLang } from '../../haccp/i18n.ts'
import { DATABASE_FILE } from '../../ingest/storageService.ts'
import { openSqliteStore } from '../../store/sqliteStore.ts'
import { opt, UsageError, type Command } from '../command.ts'
import { configFrom, configOption } from '../configLoad.ts'

function time(name: string, v: unknown): number {
  const ms = typeof v === 'string' ? Date.parse(v) : NaN
  if (!Number.isFinite(ms)) throw new UsageError(`--${name} must be an ISO 8601 date or time, e.g. 2026-11-01 or 2026-11-01T08:00:00+08:00 (got ${JSON.stringify(v)})`)
  return ms
}

export const reportHaccpCommand: Command = {
  name: 'report haccp',
  usage: 'report haccp --unit UNIT --from ISO --to ISO [--format csv|html] [--lang zh-CN|en] [--config FILE] [--out FILE]',
  summary: 'Print the HACCP record of one cold unit for a period: min/mean/max, MKT, minutes out of range, excursions and actions, data gaps.',
  options: {
    unit: opt({ type: 'string', description: 'cold unit id from the config (coldUnits[].id)' }),
    from: opt({ type: 'string', description: 'start of the period, ISO 8601 (inclusive)' }),
    to: opt({ type: 'string', description: 'end of the period, ISO 8601 (exclusive)' }),
    format: opt({ type: 'string', description: 'csv (UTF-8 with BOM, for spreadsheets) or html (printable)', default: 'csv' }),
    lang: opt({ type: 'string', description: 'zh-CN or en (default: store.language)' }),
    config: configOption,
    out: opt({ type: 'string', short: 'o', description: 'write to this file instead of stdout' }),
  },
  details: 'Dates without an offset are read as UTC. Reads the gateway database while the gateway runs (SQLite WAL).',
  async run(values) {
    const { config } = configFrom(values)
    const unitId = values.unit
    if (typeof unitId !== 'string') throw new UsageError('--unit is required')
    const unitConfig = coldUnitsOf(config).find((u) => u.id === unitId)
    if (!unitConfig) throw new UsageError(`no cold unit "${unitId}" in the config (known: ${config.coldUnits.map((u) => u.id).join(', ') || 'none'})`)
    const resolved = resolveColdUnit(unitConfig)
    if (!resolved.ok) throw new UsageError(resolved.errors.join('\n'))
    const from = time('from', values.from)
    const to = time('to', values.to)
    if (to <= from) throw new UsageError('--to must be after --from')
    const format = values.format ?? 'csv'
    if (format !== 'csv' && format !== 'html') throw new UsageError(`--format must be csv or html (got ${String(format)})`)
    const lang = (values.lang ?? config.store.language) as string
    if (lang !== 'zh-CN' && lang !== 'en') throw new UsageError(`--lang must be zh-CN or en (got ${lang})`)
    const dbPath = join(config.dataDir, DATABASE_FILE)
    if (!existsSync(dbPath)) throw new UsageError(`${dbPath} does not exist: is dataDir in the config right?`)
    const store = await openSqliteStore(dbPath)
    let text: string
    try {
      const report = await loadHaccpReport(store, { unit: resolved.unit, from, to, lang: lang as HaccpLang, timeZone: config.store.timezone })
      text = format === 'csv' ? renderHaccpCsv(report) : renderHaccpHtml(report)
    } finally {
      await store.close()
    }
    if (typeof values.out === 'string') writeFileSync(values.out, text)
    else process.stdout.write(text)
    return 0
  },
}
