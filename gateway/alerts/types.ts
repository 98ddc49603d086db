/**
 * The alert engine's vocabulary. Plain data only, so the same shapes go to SQLite rows, retained MQTT
 * payloads (`alerts/{id}`) and the staff page without translation.
 */
import type { Area, Severity } from '../contract/conditions.ts'

export type AlertStatus = 'open' | 'acknowledged' | 'resolved'

/** Roles in escalation order: an unacknowledged critical alert moves one step up this ladder. */
export type Role = string

export interface Alert {
  id: string
  rule: string
  subject: string
  area: Area
  severity: Severity
  status: AlertStatus
  message: { key: string; params: Record<string, string | number> }
  /** The triggering value, then the latest one while the condition holds. */
  value?: number
  openedAt: number
  /** Last time the rule reported the condition (first report or a repeat). */
  lastSeenAt: number
  /** How many reports the rule sent while this alert was open (1 = just the first). */
  occurrences: number
  acknowledged?: { by: string; at: number; note?: string }
  resolved?: {
    by: string
    at: number
    /** 'condition-cleared' when the rule cleared it, 'manual' when a person closed it. */
    how: 'condition-cleared' | 'manual'
    closingValue?: number
    correctiveAction?: string
    note?: string
  }
  /** Index into the escalation ladder of the highest role notified so far (0 = first role). */
  escalationLevel: number
  /** When the alert was last sent out (new, renotify or escalation): drives the re-notify timer. */
  lastNotifiedAt?: number
  /** When the alert became critical (openedAt, or the time a repeat raised it): drives escalation. */
  criticalSince?: number
}

export interface AuditEntry {
  alertId: string
  at: number
  /** 'system' for the engine, a staff name or id for people. */
  who: string
  what: 'opened' | 'updated' | 'severity-raised' | 'acknowledged' | 'resolved' | 'escalated' | 'renotified'
  detail?: string
}

export interface StaffMember {
  id: string
  name: string
  role: Role
  /** Areas looked after; absent means all areas. */
  areas?: Area[]
  /** Personal channels (channel names), e.g. their own ntfy topic or Telegram chat. */
  channels?: string[]
  /** Mobile number for @-mentions in group robots (WeCom, DingTalk). */
  mobile?: string
}

/** Routing facts about a channel; the sender itself lives in channels/. */
export interface ChannelRoute {
  name: string
  /** Group channels: notify when any recipient has one of these roles; absent = every notification. */
  roles?: Role[]
  /** Only alerts in these areas; absent = all areas. */
  areas?: Area[]
  /** A personal channel is reached only through StaffMember.channels. */
  personal?: boolean
}

export type NotificationKind = 'new' | 'escalated' | 'renotify' | 'resolved'

export interface NotificationIntent {
  alertId: string
  kind: NotificationKind
  /** Snapshot of the alert at the time of the intent: renderers need no store lookup. */
  alert: Alert
  recipients: Array<Pick<StaffMember, 'id' | 'name' | 'role' | 'mobile'>>
  channels: string[]
  /** Held for quiet hours: do not send before this instant (the outbox merges held ones into a digest). */
  notBefore: number
  at: number
}

/** What the lead publishes as retained `alerts/{id}` (retained while open, cleared on resolve). */
export interface AlertChange {
  type: 'opened' | 'updated' | 'acknowledged' | 'escalated' | 'resolved'
  alert: Alert
}
