/**
 * Staff-facing text in the store's language (zh-CN and en). Templates are keyed by the rule's message
 * key; an unknown key falls back to a generic line naming the rule, so a new rule never breaks alerting.
 */
import type { Severity } from '../contract/conditions.ts'
import type { Alert, NotificationKind } from './types.ts'
import { generic, templates, type Lang } from './templates.ts'

export type { Lang } from './templates.ts'

const labels = {
  severity: { info: { 'zh-CN': '提示', en: 'Info' }, warning: { 'zh-CN': '警告', en: 'Warning' }, critical: { 'zh-CN': '严重', en: 'Critical' } },
  kind: {
    new: { 'zh-CN': '', en: '' },
    renotify: { 'zh-CN': '再次提醒', en: 'Reminder' },
    escalated: { 'zh-CN': '升级', en: 'Escalated' },
    resolved: { 'zh-CN': '已恢复', en: 'Resolved' },
  },
  location: { 'zh-CN': '位置', en: 'Location' },
  value: { 'zh-CN': '当前值', en: 'Value' },
  closingValue: { 'zh-CN': '恢复时数值', en: 'Value at close' },
  since: { 'zh-CN': '开始时间', en: 'Since' },
  unacked: { 'zh-CN': '{minutes} 分钟内无人确认', en: 'Not acknowledged for {minutes} min' },
  action: { 'zh-CN': '处理措施', en: 'Corrective action' },
  by: { 'zh-CN': '处理人', en: 'By' },
  open: { 'zh-CN': '查看', en: 'Open' },
  digestTitle: { 'zh-CN': 'Shelfgate：{count} 条通知', en: 'Shelfgate: {count} notifications' },
  digestMore: { 'zh-CN': '……另有 {count} 条', en: '… and {count} more' },
} satisfies Record<string, unknown>

export function fill(template: string, params: Record<string, string | number | undefined>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = params[k]
    return v === undefined ? '?' : String(v)
  })
}

/** "2026-01-01 22:45" in the store's timezone. */
export function formatLocalTime(at: number, timezone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(at)
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '??'
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`
}

export interface RenderOptions {
  lang: Lang
  timezone: string
  /** Staff page base URL, e.g. http://shelfgate.local:8080 */
  staffBaseUrl: string
  /** Escalations: how long nobody acknowledged (ms). */
  unackedForMs?: number
}

export interface RenderedAlert {
  title: string
  lines: Array<{ label?: string; text: string }>
  link: string
}

/** The one-line summary of an alert's condition, e.g. "乳品冷柜 温度 8.2°C，高于上限 5°C". */
export function describe(alert: Alert, lang: Lang): string {
  const params: Record<string, string | number | undefined> = { ...alert.message.params, subject: alert.subject, rule: alert.rule }
  const value = params.value ?? alert.value ?? params.c
  const name = params.name ?? params.location ?? alert.subject
  const limit = params.limit ?? params.limitC
  const tpl = templates[alert.message.key]?.[lang] ?? templates[alert.rule]?.[lang] ?? generic[lang]
  return fill(tpl, { ...params, unit: unitOf(alert), value, name, limit })
}

/**
 * The value's unit. Cold-chain values are always °C (their `unit` param is the cold unit's id, not a
 * unit of measure); shelves and lockers put counts and seconds in the sentence itself.
 */
export function unitOf(alert: Alert): string {
  if (alert.rule.startsWith('cold.')) return '°C'
  const u = alert.message.params.unit
  return u === undefined ? '' : String(u)
}

export function renderAlert(alert: Alert, kind: NotificationKind, o: RenderOptions): RenderedAlert {
  const { lang } = o
  const sev = labels.severity[alert.severity as Severity][lang]
  const kindLabel = labels.kind[kind][lang]
  const tag = kindLabel ? `${kindLabel}·${sev}` : sev
  const title = `[${tag}] ${describe(alert, lang)}`
  const unit = unitOf(alert)
  const lines: RenderedAlert['lines'] = []
  if (kind === 'escalated' && o.unackedForMs !== undefined) {
    lines.push({ text: fill(labels.unacked[lang], { minutes: Math.round(o.unackedForMs / 60_000) }) })
  }
  lines.push({ label: labels.location[lang], text: String(alert.message.params.location ?? alert.subject) })
  if (kind === 'resolved') {
    if (alert.resolved?.closingValue !== undefined) lines.push({ label: labels.closingValue[lang], text: `${alert.resolved.closingValue}${unit}` })
    if (alert.resolved?.correctiveAction) lines.push({ label: labels.action[lang], text: alert.resolved.correctiveAction })
    if (alert.resolved?.how === 'manual') lines.push({ label: labels.by[lang], text: alert.resolved.by })
  } else if (alert.value !== undefined) {
    lines.push({ label: labels.value[lang], text: `${alert.value}${unit}` })
  }
  lines.push({ label: labels.since[lang], text: formatLocalTime(alert.openedAt, o.timezone) })
  const link = `${o.staffBaseUrl.replace(/\/+$/, '')}/alerts/${encodeURIComponent(alert.id)}`
  return { title, lines, link }
}

export function toPlainText(r: RenderedAlert): string {
  const body = r.lines.map((l) => (l.label ? `${l.label}: ${l.text}` : l.text))
  return [r.title, ...body, r.link].join('\n')
}

export function toMarkdown(r: RenderedAlert, lang: Lang): string {
  const body = r.lines.map((l) => (l.label ? `> ${l.label}: ${l.text}` : `> ${l.text}`))
  return [`**${r.title}**`, ...body, `[${labels.open[lang]}](${r.link})`].join('\n')
}

export function digestTitle(count: number, lang: Lang): string {
  return fill(labels.digestTitle[lang], { count })
}

export function digestMore(count: number, lang: Lang): string {
  return fill(labels.digestMore[lang], { count })
}
