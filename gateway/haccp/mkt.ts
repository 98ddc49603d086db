/**
 * Mean kinetic temperature: the single temperature that would give the same total thermal stress
 * (Arrhenius) as the recorded, varying ones. T_K = (ΔH/R) / −ln( Σ tᵢ·e^(−ΔH/(R·Tᵢ)) / Σ tᵢ ),
 * temperatures in kelvin, tᵢ the time each temperature was held (Wikipedia "Mean kinetic temperature").
 */

/** CODATA 2018 molar gas constant, J/(mol·K) (exact since the 2019 SI redefinition). */
export const gasConstant = 8.314462618
/** Activation energy commonly used for MKT (Seeq: 83.14 kJ/mol; ΔH/R ≈ 10,000 K), J/mol. */
export const defaultActivationEnergy = 83_144

export interface MktSample {
  c: number
  /** How long this temperature was held (any time unit; only ratios matter). */
  weight: number
}

/** Mean kinetic temperature in °C, or null when there is no time to weigh. */
export function meanKineticTemperature(samples: readonly MktSample[], deltaH = defaultActivationEnergy): number | null {
  const k = deltaH / gasConstant
  let total = 0
  let sum = 0
  for (const s of samples) {
    if (!(s.weight > 0) || !Number.isFinite(s.c)) continue
    total += s.weight
    sum += s.weight * Math.exp(-k / (s.c + 273.15))
  }
  if (total === 0) return null
  return k / -Math.log(sum / total) - 273.15
}
