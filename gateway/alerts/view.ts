/** The alert as the staff page, the REST API and the retained `alerts/{id}` topic show it. */
import type { AlertView } from '../core/apis.ts'
import { describe, formatLocalTime } from './i18n.ts'
import type { Lang } from './templates.ts'
import type { Alert } from './types.ts'

export interface AlertViewI18n extends AlertView {
  /** The title in each language, so the staff page's language switch needs no round trip. */
  titles: Record<Lang, string>
  occurrences: number
  escalationLevel: number
  ackNoteBy?: string
}

export function toView(a: Alert, lang: Lang, timezone: string): AlertViewI18n {
  const titles = { 'zh-CN': describe(a, 'zh-CN'), en: describe(a, 'en') }
  const updatedAt = Math.max(a.lastSeenAt, a.acknowledged?.at ?? 0, a.resolved?.at ?? 0)
  return {
    id: a.id,
    rule: a.rule,
    subject: a.subject,
    severity: a.severity,
    area: a.area,
    status: a.status,
    title: titles[lang],
    titles,
    text: `${titles[lang]} (${formatLocalTime(a.openedAt, timezone)})`,
    ...(a.value === undefined ? {} : { value: a.value }),
    openedAt: a.openedAt,
    updatedAt,
    occurrences: a.occurrences,
    escalationLevel: a.escalationLevel,
    ...(a.acknowledged ? { acknowledgedBy: a.acknowledged.by, acknowledgedAt: a.acknowledged.at, ...(a.acknowledged.note ? { ackNote: a.acknowledged.note } : {}) } : {}),
    ...(a.resolved ? { resolvedBy: a.resolved.by, resolvedAt: a.resolved.at, ...(a.resolved.correctiveAction ? { correctiveAction: a.resolved.correctiveAction } : {}) } : {}),
  }
}
