import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { HaccpStore } from '../../haccp/store.ts'
import { DATABASE_FILE } from '../../ingest/storageService.ts'
import { openSqliteStore } from '../../store/sqliteStore.ts'
import { opt, UsageError, type Command } from '../command.ts'
import { configFrom, configOption } from '../configLoad.ts'

function num(v: string | boolean | undefined, name: string): number {
  const n = Number(v)
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a temperature in °C (got "${String(v)}")`)
  return n
}

/** HACCP calibration record (GB 31605 §3.1: monitoring devices verified periodically, with records). */
export const calibrateCommand: Command = {
  name: 'calibrate',
  usage: 'calibrate --unit ID --reference-c C --measured-c C --instrument TEXT --by NAME [--at ISO] [--probe air] [--config FILE]',
  summary: "Record a probe check against a reference thermometer in the HACCP log; it appears in the unit's HACCP report.",
  options: {
    config: configOption,
    unit: opt({ type: 'string', description: 'cold unit id' }),
    'reference-c': opt({ type: 'string', description: "the reference instrument's reading, °C" }),
    'measured-c': opt({ type: 'string', description: "the gateway probe's reading at the same moment, °C" }),
    instrument: opt({ type: 'string', description: 'reference instrument, e.g. "Testo 104, SN 123, certificate 2026-03"' }),
    by: opt({ type: 'string', description: 'who did the check' }),
    at: opt({ type: 'string', description: 'when (ISO 8601 with offset); default now' }),
    probe: opt({ type: 'string', description: 'air, product or evaporator', default: 'air' }),
  },
  async run(values) {
    const { file, config } = configFrom(values)
    const unit = values.unit
    if (typeof unit !== 'string' || !config.coldUnits.some((u) => u.id === unit)) {
      throw new UsageError(`--unit must be one of the cold units in ${file}: ${config.coldUnits.map((u) => u.id).join(', ') || '(none)'}`)
    }
    if (typeof values.instrument !== 'string' || !values.instrument.trim()) throw new UsageError('--instrument is required: the reference thermometer used')
    if (typeof values.by !== 'string' || !values.by.trim()) throw new UsageError('--by is required: who did the check')
    const at = typeof values.at === 'string' ? Date.parse(values.at) : Date.now()
    if (!Number.isFinite(at)) throw new UsageError(`--at must be an ISO 8601 time such as 2026-11-23T09:30:00+08:00 (got "${String(values.at)}")`)
    const referenceC = num(values['reference-c'], 'reference-c')
    const measuredC = num(values['measured-c'], 'measured-c')
    const db = join(config.dataDir, DATABASE_FILE)
    if (!existsSync(db)) throw new UsageError(`${db} does not exist: has the gateway run with this config?`)
    const store = await openSqliteStore(db)
    try {
      await new HaccpStore(store.db).addCalibration({ unit, probe: String(values.probe), at, by: values.by, referenceC, measuredC, referenceInstrument: values.instrument })
    } finally {
      await store.close()
    }
    const offset = Math.round((measuredC - referenceC) * 100) / 100
    console.log(`calibration recorded for ${unit}: probe ${measuredC} °C, reference ${referenceC} °C, offset ${offset >= 0 ? '+' : ''}${offset} °C`)
    return 0
  },
}
