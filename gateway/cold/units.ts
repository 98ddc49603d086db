/** The store config's cold units in the shape the cold-chain domain code takes. */
import type { StoreConfig } from '../config/schema.ts'
import { mustResolveColdUnit, type ColdUnitConfig, type ColdUnitClass, type ResolvedColdUnit } from '../../devices/cold/limits.ts'

export function coldUnitsOf(config: StoreConfig): ColdUnitConfig[] {
  return config.coldUnits.map((u) => ({
    id: u.id,
    name: u.name,
    class: u.class as ColdUnitClass,
    readingIntervalS: u.readingIntervalS,
    ...(u.limits ? { limits: u.limits } : {}),
  }))
}

/** Call after ColdChainRules accepted the config (it reports every error at once). */
export function resolvedUnitsOf(config: StoreConfig): Map<string, ResolvedColdUnit> {
  return new Map(coldUnitsOf(config).map((u) => [u.id, mustResolveColdUnit(u)]))
}
