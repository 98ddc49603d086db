/**
 * What the locker rules are fed. Door and lock events arrive as canonical readings (from MQTT
 * lockers or the RS485 lock-board adapter); unlock requests come from devices/locker/opening.ts;
 * compartment snapshots from the compartment state machine; lockouts from the code attempt limiter.
 */
import type { LockerEventReading } from '../../contract/readings.ts'
import type { Compartment } from '../../../devices/locker/compartment.ts'
import type { LockoutNotice } from '../../../devices/locker/codeAttempts.ts'

/** The gateway asked a compartment to unlock (by code, staff override or command). */
export interface UnlockRequested {
  kind: 'locker.unlock_requested'
  locker: string
  slot: number
  at: number
  by: 'code' | 'staff' | 'command'
}

export interface CompartmentSnapshot {
  kind: 'locker.compartment'
  compartment: Compartment
}

export interface CodeLockout {
  kind: 'locker.lockout'
  notice: LockoutNotice
}

export type LockerRuleInput = LockerEventReading | UnlockRequested | CompartmentSnapshot | CodeLockout

/** Alert subject of one compartment, e.g. 'locker/K1/3'. */
export function compartmentSubject(locker: string, slot: number): string {
  return `locker/${locker}/${slot}`
}
