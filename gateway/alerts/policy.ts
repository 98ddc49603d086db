/**
 * Alert timing policy: when to hold (quiet hours), re-notify and escalate. Pure functions of an alert,
 * the config and `now`, so the engine stays a thin shell around the store.
 */
import type { Severity } from '../contract/conditions.ts'
import { quietUntil, type QuietHours } from './quietHours.ts'
import type { Alert } from './types.ts'

export interface TimingConfig {
  /** Re-send an unacknowledged critical alert this often (ms). */
  renotifyCriticalEveryMs: number
  /** Escalate an unacknowledged critical alert to the next role after this long (ms); again after each further period. */
  escalateCriticalAfterMs: number
  ladderLength: number
  quietHours?: QuietHours & { except: Severity[] }
}

export const defaultTiming = {
  renotifyCriticalEveryMs: 15 * 60_000,
  // Store example config: escalation.criticalUnackedMin = 10.
  escalateCriticalAfterMs: 10 * 60_000,
} as const

const rank: Record<Severity, number> = { info: 0, warning: 1, critical: 2 }

export function isMoreSevere(a: Severity, b: Severity): boolean {
  return rank[a] > rank[b]
}

/** When a notification of this severity may go out: now, or the end of quiet hours. */
export function releaseAt(severity: Severity, now: number, cfg: TimingConfig): number {
  const q = cfg.quietHours
  if (!q || q.except.includes(severity)) return now
  return quietUntil(now, q) ?? now
}

export type TimerAction = { kind: 'escalate'; toLevel: number } | { kind: 'renotify' } | undefined

/** What the timers owe this alert at `now`. Only open (unacknowledged) critical alerts have timers. */
export function dueTimerAction(alert: Alert, now: number, cfg: TimingConfig): TimerAction {
  if (alert.status !== 'open' || alert.severity !== 'critical') return undefined
  const since = alert.criticalSince ?? alert.openedAt
  const next = alert.escalationLevel + 1
  if (next < cfg.ladderLength && now - since >= cfg.escalateCriticalAfterMs * next) {
    return { kind: 'escalate', toLevel: next }
  }
  const last = alert.lastNotifiedAt ?? since
  if (now - last >= cfg.renotifyCriticalEveryMs) return { kind: 'renotify' }
  return undefined
}
