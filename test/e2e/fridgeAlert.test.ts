/**
 * Issue 8's story end to end, with nothing stubbed: a simulated fridge (firmware-sim's thermal model
 * with a compressor failure, time-compressed) publishes over MQTT as its own device; the cold-chain
 * service raises the excursion; the alert reaches the staff page live in Chromium; a staff member
 * acknowledges it with a note; it resolves by itself when the fridge recovers.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chilledFridge, FridgeSim } from '../../firmware-sim/cold/fridge.ts'
import { createAlertsService } from '../../gateway/alerts/service.ts'
import { createColdChainService } from '../../gateway/cold/service.ts'
import { staffService } from '../../gateway/staff/service.ts'
import { HaccpStore } from '../../gateway/haccp/store.ts'
import { openChromium, phonePage, screenshot } from '../support/browser.ts'
import { PASSWORD, startStaffHarness, type StaffHarness } from '../staff/staffHarness.ts'

let s: StaffHarness
let browser: Browser

beforeAll(async () => {
  s = await startStaffHarness({
    services: [createAlertsService({ dispatchMs: 50 }), createColdChainService({ tickMs: 100 }), staffService],
    // Short delays so a test can watch a whole excursion: warning after 6 s above 5 °C.
    harness: { coldUnits: '[{ id: F1, name: Dairy fridge, class: chilled, device: cold-f1, readingIntervalS: 1, limits: { warningMin: 0.1, alarmMin: 10, doorGraceMin: 0 } }]' },
  })
  browser = await openChromium()
})
afterAll(async () => {
  await browser?.close()
  await s?.stop()
})

describe('a fridge breaks while the staff page is open', () => {
  it('shows the excursion live, takes an acknowledgement with a note, and resolves it when the fridge recovers', async () => {
    const page = await phonePage(browser)
    await page.goto(s.base + '/')
    await page.fill('input[name=username]', 'li')
    await page.fill('input[name=password]', PASSWORD)
    await page.click('#login-form button[type=submit]')
    await page.waitForSelector('#live.on', { timeout: 5000 })

    // The fridge: 2 model minutes per real second; the compressor fails for 40 model minutes.
    const fridge = new FridgeSim({ ...chilledFridge, doorsPerHourDay: 0, doorsPerHourNight: 0 }, 3, 0)
    fridge.inject({ type: 'compressor-failure', start: 2 * 60_000, end: 42 * 60_000 })
    const device = await s.h.connect('cold-f1')
    let modelT = 0
    const timer = setInterval(() => {
      fridge.tick(modelT, 30_000)
      modelT += 30_000
      const c = fridge.readProbe(modelT)
      if (c !== null) device.publish('shelfgate/s1/cold/F1/temp', JSON.stringify({ c }), { qos: 1 })
    }, 250)
    try {
      const card = page.locator('article.alert', { hasText: '高于上限' })
      await card.waitFor({ timeout: 30_000 })
      expect(await card.textContent()).toContain('Dairy fridge')
      await screenshot(page, 'e2e-fridge-excursion')

      await card.locator('[data-testid=ack]').click()
      await card.locator('[data-testid=ack-text]').fill('冷柜压缩机故障，已转移酸奶并报修')
      await card.locator('[data-testid=ack-submit]').click()
      await expect.poll(() => card.locator('[data-testid=ack-info]').textContent(), { timeout: 5000 }).toContain('冷柜压缩机故障')

      // The compressor comes back at model minute 42; the air is below 5 °C again soon after.
      await card.waitFor({ state: 'detached', timeout: 40_000 })
      const resolved = (await s.h.gw.shared.alerts!.list({ status: 'all' })).find((a) => a.rule === 'cold.excursion.warning')
      expect(resolved).toMatchObject({ status: 'resolved', acknowledgedBy: '李店员', ackNote: '冷柜压缩机故障，已转移酸奶并报修' })

      // The HACCP record of the excursion carries who acknowledged it and the corrective action.
      const haccp = new HaccpStore(s.h.gw.storage!.store.db)
      await expect
        .poll(async () => (await haccp.excursions('F1', 0, Date.now() + 60_000)).at(-1), { timeout: 5000 })
        .toMatchObject({ acknowledgedBy: '李店员', correctiveAction: '冷柜压缩机故障，已转移酸奶并报修' })
    } finally {
      clearInterval(timer)
      await page.context().close()
    }
  }, 90_000)
})
