/** Builds a ModbusAdapter from a validated adapter config entry. */
import type { Clock } from '../../../gateway/core/clock.ts'
import type { ModbusWeightConfig, ResolvedColdConfig } from '../config.ts'
import type { ReadingOutlet } from '../outlet.ts'
import { ModbusAdapter } from './modbusAdapter.ts'
import { coldProfile, weightProfile } from './profiles.ts'

export function modbusAdapterFrom(
  cfg: ModbusWeightConfig | ResolvedColdConfig,
  outlet: ReadingOutlet,
  opts: { clock?: Clock; log?: (level: 'info' | 'warn' | 'debug', msg: string) => void } = {},
): ModbusAdapter {
  return new ModbusAdapter({
    id: cfg.id,
    link: {
      tcp: cfg.tcp,
      port: cfg.port,
      baudRate: cfg.baudRate,
      dataBits: cfg.dataBits,
      parity: cfg.parity,
      stopBits: cfg.stopBits,
      unit: cfg.unit,
      timeoutMs: cfg.timeoutMs,
    },
    profile: cfg.kind === 'modbus-weight' ? weightProfile(cfg) : coldProfile(cfg.coldUnit, cfg.map),
    outlet,
    pollMs: cfg.pollMs,
    offlineAfter: cfg.offlineAfter,
    backoff: cfg.backoff,
    maxGap: cfg.maxGap,
    ...opts,
  })
}
