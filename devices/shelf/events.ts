/** What a lane reports. A discriminated union on `type`; every event carries the time it was decided. */
export interface CountEvent {
  /** First count after start-up, or after a gap the lane could not follow. */
  type: 'count'
  count: number
  weightG: number
  at: number
}

export interface PickEvent {
  type: 'pick'
  qty: number
  /** Count after the pick. */
  count: number
  at: number
}

export interface PutEvent {
  type: 'put'
  qty: number
  count: number
  at: number
}

export interface MisplacedEvent {
  /** The stable weight is not a whole number of items: a foreign item, or a product from another lane. */
  type: 'misplaced'
  /** Grams the lane holds beyond the last whole count (positive) or short of it (negative). */
  deltaG: number
  weightG: number
  at: number
}

export interface BelowTareEvent {
  /** The lane reads less than empty: nothing on a shelf weighs less than nothing, so calibration is off. */
  type: 'below_tare'
  deltaG: number
  weightG: number
  at: number
}

export interface ResolvedEvent {
  /** The weight is a whole count again after a misplaced / below-tare spell. */
  type: 'resolved'
  count: number
  at: number
}

export type ShelfEvent = CountEvent | PickEvent | PutEvent | MisplacedEvent | BelowTareEvent | ResolvedEvent

export type LaneStatus = 'starting' | 'counting' | 'misplaced' | 'below_tare'
