/**
 * The key pickup codes are HMACed with (devices/locker/pickupCodes.ts). It lives in the data dir,
 * not in the database: a stolen database alone then reveals no code. Created once, mode 0600.
 */
import { randomBytes } from 'node:crypto'
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export const SECRET_FILE = 'locker-codes.key'

export function lockerSecret(dataDir: string): Buffer {
  const path = join(dataDir, SECRET_FILE)
  try {
    writeFileSync(path, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
  }
  // Tighten a key someone copied in with looser permissions.
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600)
  const hex = readFileSync(path, 'utf8').trim()
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`${path} is not a Shelfgate locker key (64 hex digits); move it away to create a new one (issued pickup codes stop working)`)
  return Buffer.from(hex, 'hex')
}
