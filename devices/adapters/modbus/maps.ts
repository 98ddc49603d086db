/**
 * Built-in register maps for refrigeration controllers, selected by name (`map: dixell-xr`).
 *
 * ASSUMPTIONS TO VERIFY against the controller's own Modbus table before relying on them: makers do
 * not publish one map for a family, and addresses differ between models and firmware releases.
 */
import type { z } from 'zod'
import { coldMap } from './fields.ts'

type ColdMapInput = z.input<typeof coldMap>
type ColdMap = z.output<typeof coldMap>

/**
 * Dixell (Emerson) XR-series "CX" controllers, 9600 8N1 Modbus RTU via an XJ485-CX interface.
 * - Probes: holding registers 256 (0x0100, Pb1 room/air) and 257 (0x0101, Pb2 evaporator), signed
 *   16-bit in 0.1 °C. Reported from field installations of XR75CX / Prime-series units
 *   (industrialmonitordirect.com knowledge base "Dixell XR75CX Modbus RTU register map"), and the same
 *   0x0100… layout with gain 0.1 appears in Dixell's XC645CX table (control.com thread 1409730074).
 * - Door, defrost and alarm bits: NOT verified. The map assumes a status word in holding register
 *   300 (0x012C, "device status" in the same field report) with door = bit 0, defrost = bit 1,
 *   high-temperature alarm = bit 2, low-temperature alarm = bit 3. Check the bit layout of your unit;
 *   if it differs, copy this map into the config and correct it.
 * - −32768 (0x8000) is treated as "probe fault / not fitted".
 */
const dixellXr: ColdMapInput = {
  temps: [
    { probe: 'air', address: 256, table: 'holding', type: 'int16', scale: 0.1 },
    { probe: 'evaporator', address: 257, table: 'holding', type: 'int16', scale: 0.1 },
  ],
  door: { source: 'holding', address: 300, bit: 0 },
  defrost: { source: 'holding', address: 300, bit: 1 },
  alarms: [
    { name: 'HA', source: 'holding', address: 300, bit: 2 },
    { name: 'LA', source: 'holding', address: 300, bit: 3 },
  ],
  invalidRaw: [-32768],
}

export const builtInColdMaps: Record<string, ColdMap | undefined> = {
  'dixell-xr': coldMap.parse(dixellXr),
}
