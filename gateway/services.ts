/**
 * The capabilities the gateway runs, in start order (stopped in reverse). Each entry is a
 * GatewayService (gateway/core/service.ts); tests may start the gateway with their own list.
 */
import type { GatewayService } from './core/service.ts'

export const defaultServices: GatewayService[] = []
