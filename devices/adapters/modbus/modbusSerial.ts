/**
 * Typed access to `modbus-serial` (a CommonJS package whose typings declare an ES default export
 * that TypeScript's nodenext resolution cannot see as a class). Runtime: module.exports is the
 * ModbusRTU client class, with ServerTCP and ServerSerial attached.
 */
import { createRequire } from 'node:module'
import type { ModbusRTU as ModbusRTUClass } from 'modbus-serial/ModbusRTU.js'
import type { ServerSerial as ServerSerialClass } from 'modbus-serial/ServerSerial.js'
import type { ServerTCP as ServerTCPClass } from 'modbus-serial/ServerTCP.js'

const require = createRequire(import.meta.url)
const lib = require('modbus-serial') as typeof ModbusRTUClass & { ServerTCP: typeof ServerTCPClass; ServerSerial: typeof ServerSerialClass }

export const ModbusRTU = lib
export type ModbusRTU = ModbusRTUClass
export const ServerTCP = lib.ServerTCP
export type ServerTCP = ServerTCPClass
export const ServerSerial = lib.ServerSerial
export type ServerSerial = ServerSerialClass
export type { IServiceVector } from 'modbus-serial/ServerTCP.js'
