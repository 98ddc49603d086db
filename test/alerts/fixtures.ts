/** Shared setup for alert tests: a small store (one manager, two staff with areas) on a manual clock. */
import { ManualClock } from '../../gateway/core/clock.ts'
import type { ConditionChange } from '../../gateway/contract/conditions.ts'
import { AlertEngine, type AlertEngineConfig } from '../../gateway/alerts/engine.ts'
import { MemoryAlertStore } from '../../gateway/alerts/store.ts'
import type { AlertChange, NotificationIntent } from '../../gateway/alerts/types.ts'
import type { RoutingConfig } from '../../gateway/alerts/routing.ts'

export const min = 60_000

/** 2026-01-01 12:00 in Shanghai (UTC+8). */
export const noonShanghai = Date.UTC(2026, 0, 1, 4, 0)

export const routing: RoutingConfig = {
  ladder: ['staff', 'manager'],
  copyRoles: [],
  staff: [
    { id: 'wang', name: '王店长', role: 'manager', mobile: '13800000000', channels: ['wang-ntfy'] },
    { id: 'li', name: '李店员', role: 'staff', areas: ['fresh', 'shelves'], channels: ['li-ntfy'] },
    { id: 'zhao', name: '赵店员', role: 'staff', areas: ['lockers'], channels: ['zhao-ntfy'] },
  ],
  channels: [
    { name: 'store-group', roles: ['staff', 'manager'] },
    { name: 'wang-ntfy', personal: true },
    { name: 'li-ntfy', personal: true },
    { name: 'zhao-ntfy', personal: true },
  ],
}

export function fridgeTooWarm(over: Partial<ConditionChange> = {}): ConditionChange {
  return {
    rule: 'cold.excursion.alarm',
    subject: 'cold/F1',
    active: true,
    severity: 'critical',
    area: 'fresh',
    at: noonShanghai,
    message: { key: 'cold.excursion.alarm', params: { name: '乳品冷柜', unit: '°C', limit: 5 } },
    value: 8.2,
    ...over,
  }
}

export function setup(config: Partial<AlertEngineConfig> = {}, start = noonShanghai) {
  const clock = new ManualClock(start)
  const store = new MemoryAlertStore()
  const intents: NotificationIntent[] = []
  const changes: AlertChange[] = []
  let n = 0
  const engine = new AlertEngine({
    store,
    clock,
    config: { routing, ...config },
    sink: { notify: (i) => void intents.push(i), change: (c) => void changes.push(c) },
    newId: () => `A${++n}`,
  })
  return { clock, store, engine, intents, changes }
}
