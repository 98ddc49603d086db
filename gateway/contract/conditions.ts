/**
 * What rules tell the alert engine. A rule never sends a message itself: it reports that a condition
 * on a subject became true (or still is, with a new value) or became false. The alert engine keeps one
 * alert per (rule, subject) while the condition holds and resolves it when the condition clears.
 */
export type Severity = 'info' | 'warning' | 'critical'

/** Routing areas: staff subscribe to the areas they look after. */
export type Area = 'fresh' | 'frozen' | 'shelves' | 'lockers' | 'devices' | 'system'

export interface ConditionChange {
  /** Rule id, e.g. 'cold.excursion.warning', 'shelf.restock.low', 'locker.door_ajar'. */
  rule: string
  /** What it is about, e.g. 'cold/F1', 'shelf/A1/L2', 'locker/K1/3', 'device/shelf-a1'. */
  subject: string
  /** true while the condition holds; false clears it. */
  active: boolean
  severity: Severity
  area: Area
  /** When the condition started (active) or cleared (inactive), ms since epoch. */
  at: number
  /** Message key for the staff's language (see gateway/alerts i18n), with its parameters. */
  message: { key: string; params: Record<string, string | number> }
  /** The value that triggered or last updated it (°C, count, seconds ...), if any. */
  value?: number
}
