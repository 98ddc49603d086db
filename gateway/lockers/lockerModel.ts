/**
 * Every configured locker as the gateway runs it: compartment state machines, group-buy orders and
 * their pickup codes, door and occupancy state, who last opened each door, and the locker alert rules.
 * Pure: time from the injected clock or the readings; operations return what the service must do
 * (conditions to emit, events to store and publish, unlock commands to send, audit records to keep).
 */
import type { ConditionChange } from '../contract/conditions.ts'
import type { LockerEventReading } from '../contract/readings.ts'
import type { Clock } from '../core/clock.ts'
import type { CompartmentView, LockerView } from '../core/apis.ts'
import type { LockerConfig } from '../config/schema.ts'
import { apply, checkDeadline, eventForDoorClosed, newCompartment, type Compartment, type CompartmentEvent } from '../../devices/locker/compartment.ts'
import { compartmentSuits, type TempClass } from '../../devices/locker/order.ts'
import { openByCode, openByStaff, type AuditRecord, type OpenDecision, type OpenRequest } from '../../devices/locker/opening.ts'
import type { PickupCodes, StoredCode } from '../../devices/locker/pickupCodes.ts'
import { LockerRules, type LockerRulesOptions } from '../rules/locker/lockerRules.ts'

export interface LockerEvent {
  type: 'reserved' | 'deposit' | 'pickup' | 'overdue' | 'returned' | 'released' | 'cancelled'
  locker: string
  slot: number
  at: number
  orderId?: string
  late?: boolean
}

export interface Effects {
  conditions: ConditionChange[]
  events: LockerEvent[]
  unlocks: OpenRequest[]
  audit: AuditRecord[]
  /** Lockers whose state changed (snapshot and retained topics). */
  changed: Set<string>
}

export type OpError = { ok: false; status: 400 | 403 | 404 | 409 | 429; reason: string; message: string; retryAt?: number }

interface Opened {
  by: 'code' | 'staff' | 'command'
  at: number
  orderId?: string
}

interface Slot {
  c: Compartment
  doorOpen: boolean
  doorOpenedAt?: number
  /** From the occupancy sensor; undefined for boards without one. */
  occupied?: boolean
  opened?: Opened
}

/** What latest_state keeps per locker (key `locker/{locker}`). */
export interface LockerSnapshot {
  v: 1
  slots: Array<{ c: Compartment; doorOpen: boolean; doorOpenedAt?: number; occupied?: boolean; opened?: Opened }>
  codes: StoredCode[]
  lastReadingAt: number | null
}

export interface LockerModelOptions {
  lockers: readonly LockerConfig[]
  clock: Clock
  codes: PickupCodes
  rules?: Omit<LockerRulesOptions, 'clock'>
  /** How long a pickup code stays valid after the order's deadline (late pickups). Default 24 h. */
  codeGraceMs?: number
}

const empty = (): Effects => ({ conditions: [], events: [], unlocks: [], audit: [], changed: new Set() })

export class LockerModel {
  readonly #clock: Clock
  readonly #codes: PickupCodes
  readonly #rules: LockerRules
  readonly #config = new Map<string, LockerConfig>()
  readonly #slots = new Map<string, Map<number, Slot>>()
  readonly #online = new Map<string, boolean>()
  readonly #lastReadingAt = new Map<string, number>()
  readonly #graceMs: number

  constructor(opts: LockerModelOptions) {
    this.#clock = opts.clock
    this.#codes = opts.codes
    this.#rules = new LockerRules({ clock: opts.clock, ...opts.rules })
    this.#graceMs = opts.codeGraceMs ?? 24 * 3600_000
    const now = opts.clock.now()
    for (const k of opts.lockers) {
      this.#config.set(k.id, k)
      const slots = new Map<number, Slot>()
      for (let slot = 1; slot <= k.compartments.count; slot++) slots.set(slot, { c: newCompartment(k.id, slot, tempClassOf(k, slot), now), doorOpen: false })
      this.#slots.set(k.id, slots)
    }
  }

  lockerIds(): string[] {
    return [...this.#config.keys()]
  }

  has(locker: string): boolean {
    return this.#config.has(locker)
  }

  compartment(locker: string, slot: number): Compartment | undefined {
    return this.#slots.get(locker)?.get(slot)?.c
  }

  setOnline(locker: string, online: boolean): boolean {
    const was = this.#online.get(locker) ?? false
    this.#online.set(locker, online)
    return was !== online
  }

  lastReadingAt(locker: string): number | null {
    return this.#lastReadingAt.get(locker) ?? null
  }

  /** Assigns a compartment to a group-buy order and issues its code (returned once, in clear). */
  createOrder(input: { locker: string; orderId: string; tempClass: TempClass; deadline: number; slot?: number }): ({ ok: true; slot: number; code: string; expiresAt: number } | OpError) & { effects: Effects } {
    const fx = empty()
    const slots = this.#slots.get(input.locker)
    if (!slots) return { ok: false, status: 404, reason: 'unknown_locker', message: `no locker "${input.locker}" is configured`, effects: fx }
    if (this.#find(input.orderId)) return { ok: false, status: 409, reason: 'duplicate_order', message: `order ${input.orderId} already has a compartment`, effects: fx }
    const now = this.#clock.now()
    if (!(input.deadline > now)) return { ok: false, status: 400, reason: 'deadline_past', message: 'the deadline must be in the future', effects: fx }
    const free = [...slots.values()].filter((s) => s.c.state === 'empty')
    const chosen =
      input.slot !== undefined
        ? free.find((s) => s.c.slot === input.slot)
        : // Prefer a compartment exactly as cold as the goods need, then a colder one, then any.
          (free.find((s) => s.c.tempClass === input.tempClass) ?? free.find((s) => compartmentSuits(input.tempClass, s.c.tempClass)) ?? free[0])
    if (!chosen) {
      const why = input.slot !== undefined ? `compartment ${input.locker}/${input.slot} is not empty` : `locker ${input.locker} has no empty compartment`
      return { ok: false, status: 409, reason: 'no_compartment', message: why, effects: fx }
    }
    const order = { id: input.orderId, tempClass: input.tempClass, deadline: input.deadline }
    this.#transition(fx, chosen, { type: 'reserve', at: now, order })
    const { code, record } = this.#codes.issue({ id: input.orderId, locker: input.locker, slot: chosen.c.slot, expiresAt: input.deadline + this.#graceMs })
    fx.events.push({ type: 'reserved', locker: input.locker, slot: chosen.c.slot, at: now, orderId: input.orderId })
    return { ok: true, slot: chosen.c.slot, code, expiresAt: record.expiresAt, effects: fx }
  }

  /** The courier put the goods in (courier app or staff page). */
  deposit(locker: string, orderId: string): ({ ok: true; slot: number; dueAt: number } | OpError) & { effects: Effects } {
    const fx = empty()
    const s = this.#find(orderId)
    if (!s || s.c.locker !== locker) return { ok: false, status: 404, reason: 'unknown_order', message: `no order ${orderId} at locker ${locker}`, effects: fx }
    const r = this.#transition(fx, s, { type: 'deposit', at: this.#clock.now() })
    if (!r) return { ok: false, status: 409, reason: 'invalid_transition', message: `compartment ${locker}/${s.c.slot} is ${s.c.state}: cannot deposit`, effects: fx }
    fx.events.push({ type: 'deposit', locker, slot: s.c.slot, at: s.c.since, orderId })
    return { ok: true, slot: s.c.slot, dueAt: s.c.dueAt ?? s.c.order?.deadline ?? s.c.since, effects: fx }
  }

  /** A customer entered a code for this locker (keypad, app). */
  pickup(locker: string, code: string): ({ ok: true; slot: number; orderId: string } | OpError) & { effects: Effects } {
    const fx = empty()
    if (!this.#slots.has(locker)) return { ok: false, status: 404, reason: 'unknown_locker', message: `no locker "${locker}" is configured`, effects: fx }
    const d = openByCode(this.#codes, locker, code, this.#clock)
    for (const notice of d.notices) fx.conditions.push(...this.#rules.handle({ kind: 'locker.lockout', notice }))
    if (!d.ok) return { ...refusal(d), effects: fx }
    const s = this.#slots.get(locker)?.get(d.request.slot)
    if (!s || (s.c.state !== 'loaded' && s.c.state !== 'overdue')) {
      return { ok: false, status: 409, reason: 'not_loaded', message: `compartment ${locker}/${d.request.slot} holds no goods yet`, effects: fx }
    }
    const orderId = d.request.reason.by === 'code' ? d.request.reason.orderId : ''
    this.#unlock(fx, s, d.request, { by: 'code', at: d.request.at, orderId })
    return { ok: true, slot: s.c.slot, orderId, effects: fx }
  }

  /** Staff open a compartment by hand: refused without who and why; audited. */
  staffOpen(input: { locker: string; slot: number; who: string; why: string }): ({ ok: true } | OpError) & { effects: Effects } {
    const fx = empty()
    const s = this.#slots.get(input.locker)?.get(input.slot)
    if (!s) return { ok: false, status: 404, reason: 'unknown_compartment', message: `no compartment ${input.locker}/${input.slot}`, effects: fx }
    const d = openByStaff(input, this.#clock)
    if (!d.ok) return { ...refusal(d), effects: fx }
    if (d.request.reason.by === 'staff') fx.audit.push(d.request.reason.audit)
    this.#unlock(fx, s, d.request, { by: 'staff', at: d.request.at })
    return { ok: true, effects: fx }
  }

  /** Staff checked a collected or returned compartment (or cancel a reservation): ready for the next order. */
  release(locker: string, slot: number): ({ ok: true } | OpError) & { effects: Effects } {
    const fx = empty()
    const s = this.#slots.get(locker)?.get(slot)
    if (!s) return { ok: false, status: 404, reason: 'unknown_compartment', message: `no compartment ${locker}/${slot}`, effects: fx }
    const orderId = s.c.order?.id
    const ev: CompartmentEvent = s.c.state === 'reserved' ? { type: 'cancel', at: this.#clock.now() } : { type: 'release', at: this.#clock.now() }
    if (!this.#transition(fx, s, ev)) return { ok: false, status: 409, reason: 'invalid_transition', message: `compartment ${locker}/${slot} is ${s.c.state}: cannot release`, effects: fx }
    if (orderId) this.#codes.revoke(orderId)
    fx.events.push({ type: ev.type === 'cancel' ? 'cancelled' : 'released', locker, slot, at: ev.at, ...(orderId ? { orderId } : {}) })
    return { ok: true, effects: fx }
  }

  /** A door / lock / occupancy report from the locker (MQTT or the RS485 adapter). */
  reading(r: LockerEventReading): Effects {
    const fx = empty()
    const s = this.#slots.get(r.locker)?.get(r.slot)
    if (!s) return fx
    this.#lastReadingAt.set(r.locker, Math.max(r.ts, this.#lastReadingAt.get(r.locker) ?? -Infinity))
    fx.conditions.push(...this.#rules.handle(r))
    fx.changed.add(r.locker)
    switch (r.type) {
      case 'door_opened':
        s.doorOpen = true
        s.doorOpenedAt = r.ts
        break
      case 'occupied':
      case 'vacant':
        s.occupied = r.type === 'occupied'
        break
      case 'door_closed': {
        s.doorOpen = false
        delete s.doorOpenedAt
        this.#doorClosed(fx, s, r.ts)
        break
      }
      default:
        break
    }
    return fx
  }

  /** Deadlines and the rules' timers. */
  tick(): Effects {
    const fx = empty()
    const now = this.#clock.now()
    for (const slots of this.#slots.values()) {
      for (const s of slots.values()) {
        const next = checkDeadline(s.c, now)
        if (next === s.c) continue
        s.c = next
        fx.changed.add(next.locker)
        fx.events.push({ type: 'overdue', locker: next.locker, slot: next.slot, at: now, ...(next.order ? { orderId: next.order.id } : {}) })
        fx.conditions.push(...this.#rules.handle({ kind: 'locker.compartment', compartment: next }))
      }
    }
    fx.conditions.push(...this.#rules.tick())
    return fx
  }

  views(): LockerView[] {
    return [...this.#config.values()].map((k) => ({
      id: k.id,
      name: k.name,
      online: this.#online.get(k.id) ?? false,
      compartments: [...(this.#slots.get(k.id)?.values() ?? [])].map(compartmentView),
    }))
  }

  /** Retained `state/locker/{locker}/{slot}`. */
  slotPayload(locker: string, slot: number): (CompartmentView & { locker: string; since: number; occupied?: boolean }) | undefined {
    const s = this.#slots.get(locker)?.get(slot)
    if (!s) return undefined
    return { locker, ...compartmentView(s), since: s.c.since, ...(s.occupied !== undefined ? { occupied: s.occupied } : {}) }
  }

  snapshot(locker: string): LockerSnapshot {
    const slots = [...(this.#slots.get(locker)?.values() ?? [])].map((s) => ({ ...s, c: { ...s.c } }))
    return { v: 1, slots, codes: this.#codes.records().filter((r) => r.locker === locker), lastReadingAt: this.lastReadingAt(locker) }
  }

  /** Back to the state before a restart. Open doors are shown to the rules again, so door-ajar still fires. */
  restore(locker: string, snap: LockerSnapshot): ConditionChange[] {
    const slots = this.#slots.get(locker)
    if (!slots) return []
    const out: ConditionChange[] = []
    this.#codes.load(snap.codes.filter((r) => r.locker === locker))
    for (const saved of snap.slots) {
      const s = slots.get(saved.c.slot)
      if (!s) continue // compartment removed from the config
      s.c = { ...saved.c, tempClass: s.c.tempClass }
      s.doorOpen = saved.doorOpen
      if (saved.doorOpenedAt !== undefined) s.doorOpenedAt = saved.doorOpenedAt
      if (saved.occupied !== undefined) s.occupied = saved.occupied
      if (saved.opened) s.opened = saved.opened
      out.push(...this.#rules.handle({ kind: 'locker.compartment', compartment: s.c }))
      if (s.opened) out.push(...this.#rules.handle({ kind: 'locker.unlock_requested', locker, slot: s.c.slot, at: s.opened.at, by: s.opened.by }))
      if (s.doorOpen) out.push(...this.#rules.handle({ kind: 'locker.event', device: 'restore', locker, slot: s.c.slot, ts: s.doorOpenedAt ?? this.#clock.now(), type: 'door_opened' }))
    }
    if (snap.lastReadingAt !== null) this.#lastReadingAt.set(locker, snap.lastReadingAt)
    return out
  }

  #doorClosed(fx: Effects, s: Slot, at: number): void {
    const opened = s.opened
    delete s.opened
    // Without an occupancy sensor: after a code opening the goods are gone; after staff or a
    // command, assume they are still inside (staff release by hand).
    const occupied = s.occupied ?? opened?.by !== 'code'
    const ev = eventForDoorClosed(s.c, occupied, opened?.by, at)
    if (!ev || ev.type === 'deposit') return // deposits are confirmed through the API
    const orderId = s.c.order?.id
    const late = s.c.state === 'overdue'
    if (!this.#transition(fx, s, ev)) return
    fx.events.push({ type: ev.type === 'pickup' ? 'pickup' : 'returned', locker: s.c.locker, slot: s.c.slot, at, ...(orderId ? { orderId } : {}), ...(ev.type === 'pickup' ? { late } : {}) })
    if (orderId) this.#codes.revoke(orderId)
    // The door closed on an empty compartment: it is ready for the next order.
    if (this.#transition(fx, s, { type: 'release', at })) fx.events.push({ type: 'released', locker: s.c.locker, slot: s.c.slot, at, ...(orderId ? { orderId } : {}) })
  }

  #unlock(fx: Effects, s: Slot, request: OpenRequest, opened: Opened): void {
    s.opened = opened
    fx.unlocks.push(request)
    fx.changed.add(s.c.locker)
    fx.conditions.push(...this.#rules.handle({ kind: 'locker.unlock_requested', locker: request.locker, slot: request.slot, at: request.at, by: opened.by }))
  }

  #transition(fx: Effects, s: Slot, ev: CompartmentEvent): boolean {
    const r = apply(s.c, ev)
    if (!r.ok) return false
    s.c = r.compartment
    fx.changed.add(s.c.locker)
    fx.conditions.push(...this.#rules.handle({ kind: 'locker.compartment', compartment: s.c }))
    return true
  }

  #find(orderId: string): Slot | undefined {
    for (const slots of this.#slots.values()) for (const s of slots.values()) if (s.c.order?.id === orderId) return s
    return undefined
  }
}

function tempClassOf(k: LockerConfig, slot: number): TempClass {
  if (k.compartments.frozen.includes(slot)) return 'frozen'
  if (k.compartments.chilled.includes(slot)) return 'chilled'
  return 'ambient'
}

function compartmentView(s: Slot): CompartmentView {
  const v: CompartmentView = { slot: s.c.slot, tempClass: s.c.tempClass, state: s.c.state, doorOpen: s.doorOpen }
  if (s.c.order) v.orderId = s.c.order.id
  const deadline = s.c.dueAt ?? s.c.order?.deadline
  if (deadline !== undefined) v.deadline = deadline
  return v
}

function refusal(d: Extract<OpenDecision, { ok: false }>): OpError {
  const status = d.reason === 'order_locked' || d.reason === 'keypad_locked' ? 429 : d.reason === 'audit_incomplete' ? 400 : 403
  return { ok: false, status, reason: d.reason, message: d.message, ...(d.retryAt !== undefined ? { retryAt: d.retryAt } : {}) }
}
