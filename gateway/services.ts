/**
 * The capabilities the gateway runs, in start order (stopped in reverse). Each entry is a
 * GatewayService (gateway/core/service.ts); tests may start the gateway with their own list.
 */
import { alertsService } from './alerts/service.ts'
import { coldChainService } from './cold/service.ts'
import { deviceHealthService } from './devicesHealth/service.ts'
import type { GatewayService } from './core/service.ts'
import { lockersService } from './lockers/service.ts'
import { shelvesService } from './shelves/service.ts'
import { staffService } from './staff/service.ts'

// Alerts first: the domain services emit conditions (also recovered ones) while they start.
export const defaultServices: GatewayService[] = [alertsService, shelvesService, coldChainService, lockersService, deviceHealthService, staffService]
