/**
 * Device passwords for the adapter runner: a JSON file `{"device-id": "password"}` (as `shelfgate
 * sim` uses), and/or environment variables SHELFGATE_PASSWORD_<DEVICE> where <DEVICE> is the id in
 * upper case with every other character than A–Z and 0–9 turned into "_" (cold-z1 → COLD_Z1).
 * The environment wins, so a systemd EnvironmentFile can override a file.
 */
import { readFileSync } from 'node:fs'

export function passwordEnvName(device: string): string {
  return `SHELFGATE_PASSWORD_${device.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`
}

export function loadCredentials(devices: readonly string[], file: string | undefined, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {}
  if (file) {
    let data: unknown
    try {
      data = JSON.parse(readFileSync(file, 'utf8'))
    } catch (err) {
      throw new Error(`credentials file ${file}: ${(err as Error).message}`)
    }
    if (!data || typeof data !== 'object' || Array.isArray(data)) throw new Error(`credentials file ${file}: expected a JSON object {"device-id": "password"}`)
    for (const [k, v] of Object.entries(data)) if (typeof v === 'string') out[k] = v
  }
  for (const d of devices) {
    const v = env[passwordEnvName(d)]
    if (v) out[d] = v
  }
  return out
}
