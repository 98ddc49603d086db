/**
 * Cold unit classes and their default limits. Every number is overridable per unit through the flat
 * `limits` record of the store config (`coldUnits[].limits`), so the config schema can stay a plain
 * `Record<string, number>`; `resolveColdUnit` refuses unknown keys with a message a person can act on.
 * Sources for every default: docs/cold-chain.md.
 */
import type { Area } from '../../gateway/contract/conditions.ts'

export const coldUnitClasses = ['chilled', 'frozen', 'frozen-display', 'cold-room', 'cold-locker'] as const
export type ColdUnitClass = (typeof coldUnitClasses)[number]

/** Temperatures in °C, durations in minutes. */
export interface ColdLimits {
  /** Holding limit: above it for `warningMin` is an excursion. */
  maxC: number
  /** Hard limit: above it (outside door/defrost suppression) is an alarm at once. */
  hardMaxC: number
  /** Two readings in a row at maxC − hysteresisC (or one at maxC − 2 × hysteresisC) end an excursion, so noise at the limit cannot chatter. */
  hysteresisC: number
  warningMin: number
  alarmMin: number
  /** After the door closes, a run that began with the door raises no warning for this long (the count still runs). */
  doorGraceMin: number
  /** A door open longer than this is an alert of its own, and stops suppressing the warning timer. */
  doorOpenAlertMin: number
  /** Defrost suppresses the warning timer for at most this long, then the time counts again. */
  defrostMaxMin: number
  /** After defrost ends the coil pulls the air back down; a unit that does so gets this long before the count starts. */
  defrostRecoveryMin: number
  /** An acknowledged alarm still unresolved after this long alarms again. */
  reAlarmMin: number
  /** Trend warning when the fitted rise projects crossing maxC within this horizon. */
  trendHorizonMin: number
  /** Readings (outside door/defrost windows) used for the trend regression. */
  trendWindowMin: number
  /** Minimum fitted rise for a trend warning, °C per hour. */
  trendMinRiseCPerH: number
  /** Only warn on a trend when the fitted temperature is within this distance below maxC. */
  trendBandC: number
  /** The pull-down (cooling capacity) of a window of this length: the mean of the faster half of its passages down through the unit's learned thermostat band (devices/cold/capacity.ts). */
  capacityWindowMin: number
  /** The unit's normal pull-down is learned over its first this-many minutes of readings. */
  capacityLearnMin: number
  /** Trend warning when the recent pull-down is below this fraction of the learned normal (0 turns it off). */
  capacityMinRatio: number
  /** Time–temperature abuse threshold (food temperature danger zone). */
  ttaC: number
  /** Continuously above ttaC for longer than this: move the food or discard it. */
  ttaMoveMin: number
  /** Cumulatively above ttaC (rolling window) for longer than this: discard. */
  ttaDiscardMin: number
  /** Rolling window for the cumulative time–temperature rule. */
  ttaWindowMin: number
  /** Sensor offline after this many expected intervals without a reading. */
  offlineIntervals: number
  /** Faster change than this between trusted readings is physically impossible for a probe in a cabinet. */
  jumpCPerMin: number
  /** Identical readings for this long (and at least stuckReadings of them) mean a stuck sensor. */
  stuckMin: number
  stuckReadings: number
  /** Readings outside the sensor's range are impossible. */
  sensorMinC: number
  sensorMaxC: number
}

export type ColdLimitKey = keyof ColdLimits

const common = {
  hysteresisC: 0.5, // our choice: twice the ±0.25 °C noise of common DS18B20/SHT probes
  warningMin: 15, // DESIGN §5; ControlByWeb/Monnit: a delay rides out door openings and defrost
  alarmMin: 30, // DESIGN §5
  doorGraceMin: 10, // our measurement (bench): a display fridge's air recovers within ~6 min after 40 s open
  doorOpenAlertMin: 5, // door-ajar alarms use 30 s–3 min (GE: 3 min); 5 min for store restocking
  defrostMaxMin: 45, // typical defrost 20–30 min; a longer one is a stuck heater or terminator
  defrostRecoveryMin: 15, // our measurement (bench): pull-down after a 20 min defrost
  reAlarmMin: 30, // Testo Saveris "trigger acknowledged alarms after [min]"
  trendHorizonMin: 30, // brief: warn when the limit is projected within 30 min
  trendWindowMin: 60, // Testo Saveris uses 4 cycles; 60 min spans ≥ 2 compressor cycles
  trendMinRiseCPerH: 1.2, // tuned on the bench: compressor sawtooth fits to < 0.6 °C/h over 60 min
  trendBandC: 1.5, // tuned on the bench: a thermostat band sits ≥ 1.5 °C under the limit
  capacityWindowMin: 60, // our choice: ≥ 4 compressor cycles, like trendWindowMin
  capacityLearnMin: 360, // our choice: 6 h covers a defrost and a busy and a quiet spell
  capacityMinRatio: 0.55, // bench-tuned: see docs/cold-chain.md "Cooling capacity"
  ttaC: 5, // FDA Food Code 3-501.16: cold holding at 5 °C (41 °F) or below
  ttaMoveMin: 120, // Compass HACCP cold-storage plan: > 41 °F for ≤ 2 h move, > 2 h discard
  ttaDiscardMin: 240, // FDA Food Code 3-501.19: 4 h without temperature control, then discard
  ttaWindowMin: 24 * 60, // our choice: rolling day (reset by hand when the stock is replaced)
  offlineIntervals: 3, // DESIGN §5: sensor silent for 3 intervals
  jumpCPerMin: 10, // brief: > 10 °C/min is physically impossible for a probe in a cabinet
  stuckMin: 60, // our choice: a cycling compressor moves the air ≥ 1 °C within 60 min
  stuckReadings: 10,
  sensorMinC: -50, // DB37/T 3491-2019: sensor precision specified over −50…50 °C
  sensorMaxC: 50,
} satisfies Partial<ColdLimits>

/** Default limits per class. */
export const classDefaults: Record<ColdUnitClass, ColdLimits> = {
  chilled: {
    maxC: 5, // FDA Food Code 3-501.16: cold holding at 5 °C (41 °F) or below
    hardMaxC: 8, // GB/T 24616-2019: chilled food is below 8 °C
    ...common,
  },
  'cold-room': {
    maxC: 5, // FDA Food Code 3-501.16
    hardMaxC: 8, // GB/T 24616-2019
    ...common,
    doorOpenAlertMin: 10, // walk-in doors stay open while a delivery is wheeled in (our choice)
  },
  'cold-locker': {
    maxC: 5, // FDA Food Code 3-501.16
    hardMaxC: 8, // GB/T 24616-2019
    ...common,
    doorOpenAlertMin: 1, // DESIGN §5 lockers: door ajar > 60 s
  },
  frozen: {
    maxC: -18, // FDA (0 °F) and GB/T 24616-2019: frozen food at −18 °C or below
    hardMaxC: -12, // DB31/T 388: reject frozen food warmer than −12 °C
    ...common,
  },
  'frozen-display': {
    maxC: -15, // DB31/T 388: frozen display cases at −15 °C or below
    hardMaxC: -12, // DB31/T 388: short rises in display cases no higher than −12 °C
    ...common,
  },
}

export const coldLimitKeys = Object.keys(classDefaults.chilled) as ColdLimitKey[]

export interface ColdUnitConfig {
  id: string
  name: string
  class: ColdUnitClass
  /** Overrides of the class defaults, e.g. `{ maxC: 4, warningMin: 20 }`. */
  limits?: Partial<Record<string, number>>
  /** How often the sensor reports; drives offline detection and data-gap detection. */
  readingIntervalS?: number
  /** Which probe drives the rules; readings from other probes are ignored here. Default 'air'. */
  probe?: 'air' | 'product' | 'evaporator'
  /** Alert routing area; default 'frozen' for frozen classes, else 'fresh'. */
  area?: Area
}

export interface ResolvedColdUnit {
  id: string
  name: string
  class: ColdUnitClass
  limits: ColdLimits
  readingIntervalMs: number
  probe: 'air' | 'product' | 'evaporator'
  area: Area
}

export const defaultReadingIntervalS = 30 // DESIGN §1: cold units report every 10–60 s

export type Resolved = { ok: true; unit: ResolvedColdUnit } | { ok: false; errors: string[] }

/** Merge class defaults with the unit's overrides and check that the result makes sense. */
export function resolveColdUnit(config: ColdUnitConfig): Resolved {
  const errors: string[] = []
  const where = `coldUnits[${config.id}]`
  if (!coldUnitClasses.includes(config.class)) {
    errors.push(`${where}.class must be one of ${coldUnitClasses.join(', ')} (got "${String(config.class)}")`)
    return { ok: false, errors }
  }
  const limits: ColdLimits = { ...classDefaults[config.class] }
  for (const [key, value] of Object.entries(config.limits ?? {})) {
    if (!(coldLimitKeys as string[]).includes(key)) {
      errors.push(`${where}.limits.${key} is not a known limit (known: ${coldLimitKeys.join(', ')})`)
    } else if (typeof value !== 'number' || !Number.isFinite(value)) {
      errors.push(`${where}.limits.${key} must be a number (got ${JSON.stringify(value)})`)
    } else {
      limits[key as ColdLimitKey] = value
    }
  }
  if (limits.hardMaxC <= limits.maxC) errors.push(`${where}.limits.hardMaxC (${limits.hardMaxC}) must be above maxC (${limits.maxC})`)
  if (limits.alarmMin < limits.warningMin) errors.push(`${where}.limits.alarmMin (${limits.alarmMin}) must not be below warningMin (${limits.warningMin})`)
  for (const key of coldLimitKeys) {
    if (key.endsWith('Min') && limits[key] < 0) errors.push(`${where}.limits.${key} must be ≥ 0 minutes (got ${limits[key]})`)
  }
  if (limits.sensorMinC >= limits.sensorMaxC) errors.push(`${where}.limits.sensorMinC must be below sensorMaxC`)
  const intervalS = config.readingIntervalS ?? defaultReadingIntervalS
  if (!(intervalS > 0)) errors.push(`${where}.readingIntervalS must be > 0 seconds (got ${intervalS})`)
  if (errors.length > 0) return { ok: false, errors }
  const frozen = config.class === 'frozen' || config.class === 'frozen-display'
  return {
    ok: true,
    unit: {
      id: config.id,
      name: config.name,
      class: config.class,
      limits,
      readingIntervalMs: intervalS * 1000,
      probe: config.probe ?? 'air',
      area: config.area ?? (frozen ? 'frozen' : 'fresh'),
    },
  }
}

/** For code paths that already validated the config (tests, bench): throw on a bad config. */
export function mustResolveColdUnit(config: ColdUnitConfig): ResolvedColdUnit {
  const r = resolveColdUnit(config)
  if (!r.ok) throw new Error(r.errors.join('\n'))
  return r.unit
}
