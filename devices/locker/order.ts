/**
 * Pickup orders and their collection deadline. The shop promises a holding time (e.g. 24 h); goods
 * that need cold but sit in a warmer compartment must be collected (or taken back) much sooner.
 */
export type TempClass = 'ambient' | 'chilled' | 'frozen'

export interface CompartmentRef {
  locker: string
  slot: number
}

export interface Order {
  id: string
  /** How cold the goods must be kept. */
  tempClass: TempClass
  /** Promised latest pickup time, ms since epoch. */
  deadline: number
  /** Set once the order is assigned to a compartment. */
  compartment?: CompartmentRef
  /** Free text for staff (customer name tail, group-buy batch ...), never a pickup code. */
  note?: string
}

export interface DeadlinePolicy {
  /**
   * Longest time goods may wait in a compartment warmer than they need, from deposit. Default 2 h:
   * USDA's "discard after 2 hours out of refrigeration" (docs domain facts §1, Danger Zone).
   */
  warmerCompartmentMaxMs: number
}

export const defaultDeadlinePolicy: DeadlinePolicy = { warmerCompartmentMaxMs: 2 * 60 * 60 * 1000 }

const coldness: Record<TempClass, number> = { ambient: 0, chilled: 1, frozen: 2 }

/** True when the compartment keeps the goods at least as cold as they need. */
export function compartmentSuits(goods: TempClass, compartment: TempClass): boolean {
  return coldness[compartment] >= coldness[goods]
}

/**
 * When the order becomes overdue once deposited at `depositedAt` in a compartment of class
 * `compartment`: the promised deadline, or earlier when the compartment is too warm for the goods.
 */
export function effectiveDeadline(
  order: Pick<Order, 'tempClass' | 'deadline'>,
  compartment: TempClass,
  depositedAt: number,
  policy: DeadlinePolicy = defaultDeadlinePolicy,
): number {
  if (compartmentSuits(order.tempClass, compartment)) return order.deadline
  return Math.min(order.deadline, depositedAt + policy.warmerCompartmentMaxMs)
}
