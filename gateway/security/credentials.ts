/**
 * Per-device MQTT credentials, stored hashed with scrypt in `<dataDir>/credentials.json` (mode 0600).
 * Device passwords are random 144-bit tokens printed once by `shelfgate device add`; the file never
 * holds a password in clear.
 */
import { randomBytes, scrypt, timingSafeEqual, createHmac } from 'node:crypto'
import { chmodSync, existsSync, fsyncSync, mkdirSync, openSync, closeSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { DeviceKind } from '../config/schema.ts'

/** scrypt cost: N=2^14, r=8, p=1 (RFC 7914 interactive-login figures); ~50 ms on a Pi 4, once per connect. */
const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 }

export type PrincipalKind = DeviceKind | 'service'

export interface CredentialRecord {
  kind: PrincipalKind
  hash: string
  createdAt: string
  revokedAt?: string
}

export interface CredentialsFile {
  version: 1
  devices: Record<string, CredentialRecord>
}

function scryptAsync(password: string, salt: Buffer, N: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, SCRYPT.keylen, { N, r: SCRYPT.r, p: SCRYPT.p, maxmem: 64 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  )
}

/**
 * `cost` (scrypt N) is for tests and benchmarks that provision hundreds of devices; the hash records
 * its own N, so verification follows whatever the hash says.
 */
export async function hashPassword(password: string, cost = SCRYPT.N): Promise<string> {
  const salt = randomBytes(16)
  const key = await scryptAsync(password, salt, cost)
  return `scrypt$${cost}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${key.toString('base64')}`
}

export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const [scheme, n, r, p, saltB64, keyB64] = encoded.split('$')
  if (scheme !== 'scrypt' || !saltB64 || !keyB64) return false
  const expected = Buffer.from(keyB64, 'base64')
  const key = await new Promise<Buffer>((resolve, reject) =>
    scrypt(password, Buffer.from(saltB64, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: 64 * 1024 * 1024 }, (err, k) =>
      err ? reject(err) : resolve(k),
    ),
  )
  return key.length === expected.length && timingSafeEqual(key, expected)
}

export function newDevicePassword(): string {
  return randomBytes(18).toString('base64url')
}

export function credentialsPath(dataDir: string): string {
  return join(dataDir, 'credentials.json')
}

export function readCredentials(dataDir: string): CredentialsFile {
  const file = credentialsPath(dataDir)
  if (!existsSync(file)) return { version: 1, devices: {} }
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as CredentialsFile
  if (parsed.version !== 1 || typeof parsed.devices !== 'object') throw new Error(`${file}: not a Shelfgate credentials file (version 1)`)
  return parsed
}

/** Atomic replace: write a temp file, fsync, rename, so a power cut leaves the old or the new file. */
export function writeCredentials(dataDir: string, creds: CredentialsFile): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o750 })
  const file = credentialsPath(dataDir)
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, `${JSON.stringify(creds, null, 2)}\n`, { mode: 0o600 })
  const fd = openSync(tmp, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(tmp, file)
  chmodSync(file, 0o600)
}

export interface NewDevice {
  id: string
  kind: PrincipalKind
  password?: string
}

/** Adds (or replaces) credentials for several devices in one file write; returns id → password. */
export async function addDevices(dataDir: string, devices: NewDevice[], cost?: number): Promise<Record<string, string>> {
  const creds = readCredentials(dataDir)
  const out: Record<string, string> = {}
  for (const d of devices) {
    const password = d.password ?? newDevicePassword()
    creds.devices[d.id] = { kind: d.kind, hash: await hashPassword(password, cost), createdAt: new Date().toISOString() }
    out[d.id] = password
  }
  writeCredentials(dataDir, creds)
  return out
}

export async function addDevice(dataDir: string, id: string, kind: PrincipalKind, password?: string): Promise<string> {
  const out = await addDevices(dataDir, [{ id, kind, ...(password ? { password } : {}) }])
  return out[id] as string
}

export function revokeDevice(dataDir: string, id: string): boolean {
  const creds = readCredentials(dataDir)
  const rec = creds.devices[id]
  if (!rec || rec.revokedAt) return false
  rec.revokedAt = new Date().toISOString()
  writeCredentials(dataDir, creds)
  return true
}

/**
 * Verifies logins. A successful scrypt check is remembered as an HMAC under a per-process key so that
 * a reconnect storm after a Wi-Fi blip costs microseconds per device, not 50 ms each.
 */
export class CredentialVerifier {
  #records: Record<string, CredentialRecord>
  readonly #cacheKey = randomBytes(32)
  readonly #verified = new Map<string, string>()

  constructor(records: Record<string, CredentialRecord>) {
    this.#records = records
  }

  replace(records: Record<string, CredentialRecord>): void {
    this.#records = records
    this.#verified.clear()
  }

  kindOf(id: string): PrincipalKind | undefined {
    const r = this.#records[id]
    return r && !r.revokedAt ? r.kind : undefined
  }

  async verify(id: string, password: string): Promise<boolean> {
    const rec = this.#records[id]
    if (!rec || rec.revokedAt) return false
    const mac = createHmac('sha256', this.#cacheKey).update(`${rec.hash}\0${password}`).digest('base64')
    if (this.#verified.get(id) === mac) return true
    const ok = await verifyPassword(password, rec.hash)
    if (ok) this.#verified.set(id, mac)
    return ok
  }
}
