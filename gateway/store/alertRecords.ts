/**
 * The alert lifecycle as storage enforces it (DESIGN §6): open → acknowledged → resolved, or
 * open → resolved. Pure, so the SQLite and memory stores agree by construction.
 */
import type { AlertInput, AlertRecord, AlertState } from './types.ts'

export class AlertTransitionError extends Error {
  override name = 'AlertTransitionError'
}

export function newAlert(id: number, input: AlertInput): AlertRecord {
  return {
    id,
    rule: input.rule,
    subject: input.subject,
    severity: input.severity,
    state: 'open',
    ...(input.message === undefined ? {} : { message: input.message }),
    ...(input.details === undefined ? {} : { details: input.details }),
    repeats: 0,
    openedAt: input.at,
    updatedAt: input.at,
  }
}

/** The same condition raised again while the alert is not resolved: update it, never spam. */
export function repeatAlert(existing: AlertRecord, input: AlertInput): AlertRecord {
  return {
    ...existing,
    severity: input.severity,
    ...(input.message === undefined ? {} : { message: input.message }),
    ...(input.details === undefined ? {} : { details: input.details }),
    repeats: existing.repeats + 1,
    updatedAt: input.at,
  }
}

const allowed: Record<AlertState, readonly AlertState[]> = {
  open: ['acknowledged', 'resolved'],
  acknowledged: ['resolved'],
  resolved: [],
}

export function transitionAlert(
  existing: AlertRecord | undefined,
  id: number,
  to: 'acknowledged' | 'resolved',
  actor: string,
  at: number,
  note?: string,
): AlertRecord {
  if (!existing) throw new AlertTransitionError(`alert ${id} does not exist`)
  if (!allowed[existing.state].includes(to)) {
    throw new AlertTransitionError(`alert ${id} is ${existing.state} and cannot become ${to}`)
  }
  const who = to === 'acknowledged' ? { acknowledgedBy: actor, acknowledgedAt: at } : { resolvedBy: actor, resolvedAt: at }
  return { ...existing, ...who, state: to, updatedAt: at, ...(note === undefined ? {} : { note }) }
}
