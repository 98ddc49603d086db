/** Exponential backoff with "equal jitter": half the delay fixed, half random, so retries spread out. */
export interface BackoffConfig {
  baseMs: number
  maxMs: number
}

export const defaultBackoff: BackoffConfig = { baseMs: 5_000, maxMs: 10 * 60_000 }

/** Delay before retry number `attempt` (1 = the first retry). `random` returns [0, 1). */
export function backoffDelay(attempt: number, cfg: BackoffConfig, random: () => number): number {
  const exp = Math.min(cfg.maxMs, cfg.baseMs * 2 ** Math.max(0, attempt - 1))
  return Math.round(exp / 2 + random() * (exp / 2))
}
