/**
 * What services offer each other in-process (through ServiceContext.shared), so the staff page, the
 * REST API and Node-RED read one model. Keys: 'alerts', 'shelves', 'cold', 'lockers'.
 * Views are plain JSON-able objects; times are ms since epoch.
 */
import type { Area, Severity } from '../contract/conditions.ts'

export interface AlertView {
  id: string
  rule: string
  subject: string
  severity: Severity
  area: Area
  status: 'open' | 'acknowledged' | 'resolved'
  /** Rendered in the store's language. */
  title: string
  text: string
  value?: number
  openedAt: number
  updatedAt: number
  acknowledgedBy?: string
  acknowledgedAt?: number
  ackNote?: string
  resolvedBy?: string
  resolvedAt?: number
  correctiveAction?: string
}

export interface AlertsApi {
  list(opts?: { status?: 'active' | 'all'; limit?: number }): Promise<AlertView[]>
  get(id: string): Promise<AlertView | undefined>
  acknowledge(id: string, who: string, note?: string): Promise<AlertView>
  resolve(id: string, who: string, correctiveAction: string): Promise<AlertView>
  /** Called on every change (opened, updated, acknowledged, escalated, resolved); returns an unsubscribe. */
  onChange(listener: (alert: AlertView) => void): () => void
}

export interface LaneView {
  shelf: string
  lane: string
  name: string
  sku?: string
  location?: Record<string, string | number>
  count?: number
  capacity: number
  restockAt: number
  weightG?: number
  stable: boolean
  lowStock: boolean
  outOfStock: boolean
  misplaced: boolean
  predictedEmptyAt?: number
  updatedAt?: number
}

export interface ShelvesApi {
  lanes(): LaneView[]
}

export interface ColdUnitView {
  id: string
  name: string
  class: string
  area: Area
  limitC: number
  tempC?: number
  doorOpen: boolean
  defrost: boolean
  status: 'ok' | 'warning' | 'alarm' | 'offline' | 'suspect' | 'unknown'
  since?: number
  lastReadingAt?: number
}

export interface ColdApi {
  units(): ColdUnitView[]
  /** Temperature history for charts: rollups (1-minute mean) between from and to. */
  history(unit: string, from: number, to: number): Promise<{ ts: number; c: number; min: number; max: number }[]>
}

export interface CompartmentView {
  slot: number
  tempClass: 'ambient' | 'chilled' | 'frozen'
  state: string
  orderId?: string
  deadline?: number
  doorOpen: boolean
}

export interface LockerView {
  id: string
  name: string
  online: boolean
  compartments: CompartmentView[]
}

export interface LockersApi {
  lockers(): LockerView[]
}

/**
 * The staff login, offered by the staff service so other services can protect their routes.
 * guard() answers 401/403 itself and returns undefined when the request may not proceed.
 */
export interface StaffAuth {
  guard(req: unknown, reply: unknown, need?: { act?: boolean }): { username: string; role: string } | undefined
}

export interface SharedApis {
  staffAuth?: StaffAuth
  alerts?: AlertsApi
  shelves?: ShelvesApi
  cold?: ColdApi
  lockers?: LockersApi
}
