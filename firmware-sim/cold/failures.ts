/** Failures the fridge simulator can inject, and the ground-truth log it keeps of them. */
export const fridgeFailureTypes = [
  'compressor-failure', // compressor dead: air rises towards its off-cycle equilibrium
  'compressor-degraded', // refrigerant leak: capacity falls to zero over 60 % of the failure (slow rise)
  'door-left-open', // door held open
  'power-cut', // compressor, fans and defrost heater off; battery sensors keep reporting
  'sensor-dropout', // no readings
  'sensor-stuck', // the probe repeats its last value
  'sensor-drift', // the probe's offset grows by driftCPerH
  'sensor-glitch', // DS18B20 power-on reset value 85 °C reported instead of the temperature
] as const

export type FridgeFailureType = (typeof fridgeFailureTypes)[number]

export interface InjectedFailure {
  type: FridgeFailureType
  /** ms since epoch. */
  start: number
  end: number
  /** sensor-drift: °C per hour (default 1). */
  driftCPerH?: number
}

export function activeAt(failures: readonly InjectedFailure[], type: FridgeFailureType, t: number): InjectedFailure | undefined {
  return failures.find((f) => f.type === type && t >= f.start && t < f.end)
}
