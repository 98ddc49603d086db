/**
 * Device health (DESIGN §5): a device that says it went offline (its last will, or a status with
 * online:false) and a battery running low become alerts for the staff, with hysteresis on the battery
 * so a level wobbling around the threshold does not flap.
 */
import type { ConditionChange } from '../contract/conditions.ts'
import type { DeviceStatusReading } from '../contract/readings.ts'
import type { GatewayService, RunningService, ServiceContext } from '../core/service.ts'

export interface DeviceHealthOptions {
  /** Battery share (0..1) at or below which the low-battery alert opens; it clears above `batteryClear`. */
  batteryLow?: number
  batteryClear?: number
}

export function createDeviceHealthService(opts: DeviceHealthOptions = {}): GatewayService {
  return { name: 'device-health', start: (ctx) => startDeviceHealth(ctx, opts) }
}

export const deviceHealthService = createDeviceHealthService()

function startDeviceHealth(ctx: ServiceContext, opts: DeviceHealthOptions): RunningService {
  const low = opts.batteryLow ?? 0.2
  const clear = opts.batteryClear ?? 0.3
  const owner = {}
  const offline = new Set<string>()
  const lowBattery = new Set<string>()
  const condition = (rule: string, device: string, active: boolean, value?: number): ConditionChange => ({
    rule,
    subject: `device/${device}`,
    active,
    severity: 'warning',
    area: 'devices',
    at: ctx.clock.now(),
    message: { key: rule, params: { name: device, ...(value !== undefined ? { value: Math.round(value * 100) } : {}) } },
    ...(value !== undefined ? { value } : {}),
  })

  ctx.bus.on('reading', owner, (r) => {
    if (r.kind !== 'device.status') return
    const s = r as DeviceStatusReading
    if (!s.online && !offline.has(s.device)) {
      offline.add(s.device)
      ctx.bus.emit('condition', condition('device.offline', s.device, true))
    } else if (s.online && offline.delete(s.device)) {
      ctx.bus.emit('condition', condition('device.offline', s.device, false))
    }
    if (s.battery === undefined) return
    if (s.battery <= low && !lowBattery.has(s.device)) {
      lowBattery.add(s.device)
      ctx.bus.emit('condition', condition('device.battery_low', s.device, true, s.battery))
    } else if (s.battery > clear && lowBattery.delete(s.device)) {
      ctx.bus.emit('condition', condition('device.battery_low', s.device, false, s.battery))
    }
  })
  return { stop: () => ctx.bus.removeOwner(owner) }
}
