/**
 * The three ways a compartment door may be opened, each turned into an OpenRequest that says why.
 * The driver only unlocks what arrives as an OpenRequest, and the 'locker.forced' rule treats any
 * door that opens without one as forced. Staff overrides carry an audit record (who, why, when)
 * that the caller stores with the HACCP/audit log.
 */
import type { Clock } from '../../gateway/core/clock.ts'
import type { LockoutNotice } from './codeAttempts.ts'
import type { PickupCodes, VerifyResult } from './pickupCodes.ts'

export interface AuditRecord {
  action: 'staff_override'
  who: string
  why: string
  at: number
  locker: string
  slot: number
}

export type OpenReason =
  | { by: 'code'; orderId: string }
  | { by: 'staff'; audit: AuditRecord }
  /** An unlock from the API / Node-RED / a `cmd/` topic; `source` names the caller. */
  | { by: 'command'; source: string }

export interface OpenRequest {
  locker: string
  slot: number
  at: number
  reason: OpenReason
}

type CodeRefusal = Extract<VerifyResult, { ok: false }>['reason']

export type OpenDecision =
  | { ok: true; request: OpenRequest; notices: LockoutNotice[] }
  | {
      ok: false
      reason: CodeRefusal | 'no_compartment' | 'audit_incomplete'
      message: string
      retryAt?: number
      notices: LockoutNotice[]
    }

/** A customer typed `code` on the keypad of `locker`. */
export function openByCode(codes: PickupCodes, locker: string, code: string, clock: Clock): OpenDecision {
  const v = codes.verifyAtKeypad(locker, code)
  if (!v.ok) {
    return {
      ok: false,
      reason: v.reason,
      message: refusalMessage[v.reason],
      notices: v.notices,
      ...(v.retryAt !== undefined ? { retryAt: v.retryAt } : {}),
    }
  }
  if (v.slot === undefined) {
    return { ok: false, reason: 'no_compartment', message: `order ${v.orderId} has no compartment assigned`, notices: v.notices }
  }
  return { ok: true, request: { locker, slot: v.slot, at: clock.now(), reason: { by: 'code', orderId: v.orderId } }, notices: v.notices }
}

/** Staff open a compartment by hand. Refused unless they say who they are and why. */
export function openByStaff(input: { who: string; why: string; locker: string; slot: number }, clock: Clock): OpenDecision {
  const who = input.who.trim()
  const why = input.why.trim()
  if (!who || !why) {
    return { ok: false, reason: 'audit_incomplete', message: 'a staff override needs the staff member and a reason', notices: [] }
  }
  const at = clock.now()
  const audit: AuditRecord = { action: 'staff_override', who, why, at, locker: input.locker, slot: input.slot }
  return { ok: true, request: { locker: input.locker, slot: input.slot, at, reason: { by: 'staff', audit } }, notices: [] }
}

/** An unlock command from the API, a flow or the `cmd/` topic. */
export function openByCommand(input: { locker: string; slot: number; source: string }, clock: Clock): OpenDecision {
  return {
    ok: true,
    request: { locker: input.locker, slot: input.slot, at: clock.now(), reason: { by: 'command', source: input.source } },
    notices: [],
  }
}

const refusalMessage: Record<CodeRefusal, string> = {
  wrong_code: 'wrong code',
  expired: 'this code has expired: please contact the store',
  used: 'this code has already been used',
  order_locked: 'too many wrong codes for this order: try again later or ask staff',
  keypad_locked: 'keypad locked after too many wrong codes: try again later or ask staff',
  unknown_order: 'unknown order',
}
