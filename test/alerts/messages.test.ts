import { describe, expect, it } from 'vitest'
import { renderAlert, toMarkdown, toPlainText } from '../../gateway/alerts/i18n.ts'
import type { Alert } from '../../gateway/alerts/types.ts'

const alert: Alert = {
  id: 'a-17',
  rule: 'cold.excursion.warning',
  subject: 'cold/F1',
  area: 'fresh',
  severity: 'warning',
  status: 'open',
  message: { key: 'cold.excursion.warning', params: { name: '乳品冷柜', location: 'B 通道', unit: '°C', limit: 5 } },
  value: 7.4,
  openedAt: Date.UTC(2026, 0, 1, 14, 5), // 22:05 in Shanghai
  lastSeenAt: Date.UTC(2026, 0, 1, 14, 5),
  occurrences: 1,
  escalationLevel: 0,
}
const opts = { timezone: 'Asia/Shanghai', staffBaseUrl: 'http://shelfgate.local:8080/' }

describe('alert messages', () => {
  it('tells Chinese-speaking staff what, where, how warm, since when (store time) and where to act', () => {
    const text = toPlainText(renderAlert(alert, 'new', { lang: 'zh-CN', ...opts }))
    expect(text).toBe(
      ['[警告] 乳品冷柜 温度 7.4°C，高于上限 5°C', '位置: B 通道', '当前值: 7.4°C', '开始时间: 2026-01-01 22:05', 'http://shelfgate.local:8080/alerts/a-17'].join('\n'),
    )
  })

  it('speaks English when the store is configured for it, and renders Markdown for group robots', () => {
    const r = renderAlert(alert, 'new', { lang: 'en', ...opts })
    expect(r.title).toBe('[Warning] 乳品冷柜 is at 7.4°C, above the 5°C limit')
    expect(toMarkdown(r, 'en')).toContain('[Open](http://shelfgate.local:8080/alerts/a-17)')
  })

  it('says how long an escalated alert went unacknowledged', () => {
    const r = renderAlert({ ...alert, severity: 'critical' }, 'escalated', { lang: 'zh-CN', ...opts, unackedForMs: 10 * 60_000 })
    expect(r.title.startsWith('[升级·严重]')).toBe(true)
    expect(toPlainText(r)).toContain('10 分钟内无人确认')
  })

  it('reports the closing value and corrective action when resolved', () => {
    const resolved: Alert = { ...alert, status: 'resolved', resolved: { by: '王店长', at: alert.openedAt + 1, how: 'manual', closingValue: 4.2, correctiveAction: '移至冷库' } }
    const text = toPlainText(renderAlert(resolved, 'resolved', { lang: 'zh-CN', ...opts }))
    expect(text).toContain('恢复时数值: 4.2°C')
    expect(text).toContain('处理措施: 移至冷库')
    expect(text).toContain('处理人: 王店长')
  })

  it('falls back to a generic text naming the rule for a message key it does not know', () => {
    const odd: Alert = { ...alert, rule: 'vendor.custom', message: { key: 'vendor.custom.thing', params: {} } }
    expect(renderAlert(odd, 'new', { lang: 'en', ...opts }).title).toBe('[Warning] cold/F1: rule vendor.custom triggered')
    expect(renderAlert(odd, 'new', { lang: 'zh-CN', ...opts }).title).toBe('[警告] cold/F1：规则 vendor.custom 触发')
  })

  it('shows a missing template parameter as "?" instead of crashing', () => {
    const partial: Alert = { ...alert, message: { key: 'shelf.restock.low', params: { name: '纯牛奶' } } }
    expect(renderAlert(partial, 'new', { lang: 'en', ...opts }).title).toBe('[Warning] 纯牛奶 is running low: ? left')
  })
})
