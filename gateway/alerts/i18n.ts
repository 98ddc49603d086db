/**
 * Staff-facing text in the store's language (zh-CN and en). Templates are keyed by the rule's message
 * key; an unknown key falls back to a generic line naming the rule, so a new rule never breaks alerting.
 */
import type { Severity } from '../contract/conditions.ts'
import type { Alert, NotificationKind } from './types.ts'

export type Lang = 'zh-CN' | 'en'

type Texts = Record<Lang, string>

/** Params the rules are expected to pass: name, value, unit, limit, minutes, count, slot ... */
const templates: Record<string, Texts> = {
  'cold.excursion.warning': { 'zh-CN': '{name} 温度 {value}{unit}，高于上限 {limit}{unit}', en: '{name} is at {value}{unit}, above the {limit}{unit} limit' },
  'cold.excursion.alarm': { 'zh-CN': '{name} 温度持续超标：{value}{unit}（上限 {limit}{unit}）', en: '{name} has stayed too warm: {value}{unit} (limit {limit}{unit})' },
  'cold.discard': { 'zh-CN': '{name} 累计超温超过 {minutes} 分钟，食品需评估或丢弃', en: '{name} has been above the limit for {minutes} min in total: check or discard the food' },
  'cold.sensor_offline': { 'zh-CN': '{name} 温度传感器离线', en: '{name} temperature sensor is offline' },
  'shelf.restock.low': { 'zh-CN': '{name} 库存低：剩 {count} 件', en: '{name} is running low: {count} left' },
  'shelf.restock.predicted': { 'zh-CN': '{name} 预计 {minutes} 分钟内售罄', en: '{name} is predicted to sell out in {minutes} min' },
  'shelf.misplaced': { 'zh-CN': '{name} 重量异常，可能有错放商品', en: '{name} weight does not match: a misplaced item?' },
  'locker.door_ajar': { 'zh-CN': '{name} 柜门未关超过 {seconds} 秒', en: '{name} door has been open for over {seconds} s' },
  'locker.overdue': { 'zh-CN': '{name} 订单超时未取', en: '{name} order has not been collected in time' },
  'locker.unlock_failed': { 'zh-CN': '{name} 开锁失败', en: '{name} failed to unlock' },
  'device.offline': { 'zh-CN': '设备 {name} 离线', en: 'Device {name} is offline' },
  'device.battery_low': { 'zh-CN': '设备 {name} 电量低（{value}%）', en: 'Device {name} battery is low ({value}%)' },
}

const generic: Texts = { 'zh-CN': '{subject}：规则 {rule} 触发', en: '{subject}: rule {rule} triggered' }

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
  const unit = params.unit ?? ''
  const value = params.value ?? alert.value
  const name = params.name ?? params.location ?? alert.subject
  const tpl = templates[alert.message.key]?.[lang] ?? generic[lang]
  return fill(tpl, { ...params, unit, value, name })
}

export function renderAlert(alert: Alert, kind: NotificationKind, o: RenderOptions): RenderedAlert {
  const { lang } = o
  const sev = labels.severity[alert.severity as Severity][lang]
  const kindLabel = labels.kind[kind][lang]
  const tag = kindLabel ? `${kindLabel}·${sev}` : sev
  const title = `[${tag}] ${describe(alert, lang)}`
  const unit = String(alert.message.params.unit ?? '')
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
