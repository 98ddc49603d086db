import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { revokeDevice } from '../../gateway/security/credentials.ts'
import { eventually, startHarness, type Harness } from '../support/gatewayHarness.ts'

let h: Harness
beforeEach(async () => {
  h = await startHarness()
})
afterEach(async () => {
  await h.stop()
})

describe('device login', () => {
  it('refuses an anonymous connection and counts it', async () => {
    const err = await h.connectError({ clientId: 'anon' })
    expect(err?.message).toMatch(/Not authorized/i)
    expect(await h.metric('shelfgate_auth_failures_total', { why: 'unknown' })).toBe(1)
  })

  it('refuses a device with the wrong password and logs who tried, without the password', async () => {
    const err = await h.connectError({ clientId: 'shelf-a1', username: 'shelf-a1', password: 'not-the-password' })
    expect(err?.message).toMatch(/Bad username or password/i)
    expect(await h.metric('shelfgate_auth_failures_total', { why: 'password' })).toBe(1)
    const line = h.logs.find((l) => l.includes('MQTT login refused'))
    expect(line).toContain('shelf-a1')
    expect(h.logs.join('')).not.toContain('not-the-password')
  })

  it('refuses a device id that has no credentials', async () => {
    const err = await h.connectError({ clientId: 'ghost', username: 'ghost', password: 'x' })
    expect(err?.message).toMatch(/Bad username or password/i)
  })

  it('accepts a device with its own password', async () => {
    const c = await h.connect('shelf-a1')
    expect(c.connected).toBe(true)
    await eventually(async () => (await h.metric('shelfgate_devices_connected')) === 1, 3000, 'devices_connected = 1')
  })

  it("refuses a device that tries to take over another device's session by client id", async () => {
    const err = await h.connectError({ clientId: 'cold-f1', username: 'shelf-a1', password: h.passwords['shelf-a1'] })
    expect(err?.message).toMatch(/Not authorized/i)
    expect(await h.metric('shelfgate_auth_failures_total', { why: 'client_id' })).toBe(1)
  })

  it('disconnects a connected device when its credentials are revoked, and refuses it afterwards', async () => {
    const c = await h.connect('cold-f1')
    const closed = new Promise<void>((r) => c.once('close', () => r()))
    revokeDevice(h.config.dataDir, 'cold-f1')
    await closed
    const err = await h.connectError({ clientId: 'cold-f1', username: 'cold-f1', password: h.passwords['cold-f1'] })
    expect(err).toBeDefined()
  })
})

describe('login throttling', () => {
  it('refuses further attempts from an address after too many failures, even with the right password', async () => {
    const low = await startHarness({ broker: '{ authFailuresPerMin: 3 }', devices: ['shelf-a1'] })
    try {
      for (let i = 0; i < 3; i++) await low.connectError({ clientId: 'shelf-a1', username: 'shelf-a1', password: 'wrong' })
      const err = await low.connectError({ clientId: 'shelf-a1', username: 'shelf-a1', password: low.passwords['shelf-a1'] })
      expect(err?.message).toMatch(/Not authorized/i)
      expect(await low.metric('shelfgate_auth_failures_total', { why: 'throttled' })).toBe(1)
    } finally {
      await low.stop()
    }
  })
})
