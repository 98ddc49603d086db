/** The staff page in real headless Chromium at phone size, against a real gateway. */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAlertsService } from '../../gateway/alerts/service.ts'
import { staffService } from '../../gateway/staff/service.ts'
import { openChromium, phonePage, screenshot } from '../support/browser.ts'
import { fixtureViewsService } from './fixtureViews.ts'
import { fridgeAlarm, PASSWORD, startStaffHarness, type StaffHarness } from './staffHarness.ts'

let s: StaffHarness
let browser: Browser

beforeAll(async () => {
  s = await startStaffHarness({ services: [fixtureViewsService(), createAlertsService({ dispatchMs: 50 }), staffService] })
  browser = await openChromium()
})
afterAll(async () => {
  await browser?.close()
  await s?.stop()
})

async function loggedIn(username = 'li'): Promise<Page> {
  const page = await phonePage(browser)
  await page.goto(s.base + '/')
  await page.fill('input[name=username]', username)
  await page.fill('input[name=password]', PASSWORD)
  await page.click('#login-form button[type=submit]')
  await page.waitForSelector('#tabs:not([hidden])', { timeout: 5000 })
  await page.waitForSelector('#live.on', { timeout: 5000 })
  return page
}

describe('staff page', () => {
  it('shows only the login form without a session, and the API refuses the page', async () => {
    const page = await phonePage(browser)
    await page.goto(s.base + '/')
    await page.waitForSelector('#login:not([hidden])', { timeout: 5000 })
    expect(await page.isHidden('#view')).toBe(true)
    expect(await page.evaluate(async () => (await fetch('/api/alerts')).status)).toBe(401)
    await screenshot(page, 'staff-login')
    await page.context().close()
  })

  it('refuses a wrong password with a message', async () => {
    const page = await phonePage(browser)
    await page.goto(s.base + '/')
    await page.fill('input[name=username]', 'li')
    await page.fill('input[name=password]', 'wrong password')
    await page.click('#login-form button[type=submit]')
    await expect.poll(() => page.textContent('#login-error'), { timeout: 5000 }).toBe('用户名或密码错误')
    await page.context().close()
  })

  it('shows a live alert when the fridge breaks, takes an acknowledgement with a note, and drops it when the fridge recovers', async () => {
    const page = await loggedIn()
    s.h.gw.bus.emit('condition', fridgeAlarm(true, 8.6, Date.now(), 'B1'))
    const card = page.locator('article.alert', { hasText: 'Dairy fridge' })
    await card.waitFor({ timeout: 5000 })
    expect(await card.textContent()).toContain('温度持续超标：8.6°C')
    await screenshot(page, 'staff-alerts')

    await card.locator('[data-testid=ack]').click()
    await card.locator('[data-testid=ack-text]').fill('已通知维修，食品已转移')
    await card.locator('[data-testid=ack-submit]').click()
    await expect.poll(() => card.locator('[data-testid=ack-info]').textContent(), { timeout: 5000 }).toContain('李店员')
    expect(await card.locator('[data-testid=ack-info]').textContent()).toContain('已通知维修，食品已转移')
    await screenshot(page, 'staff-alert-acknowledged')

    s.h.gw.bus.emit('condition', fridgeAlarm(false, 4.2, Date.now(), 'B1'))
    await card.waitFor({ state: 'detached', timeout: 5000 })
    await page.context().close()
  })

  it('resolves an alert by hand only with a corrective action', async () => {
    const page = await loggedIn()
    s.h.gw.bus.emit('condition', fridgeAlarm(true, 7.9, Date.now(), 'B2'))
    const card = page.locator('article.alert', { hasText: '7.9°C' })
    await card.locator('[data-testid=resolve]').click()
    await card.locator('[data-testid=resolve-submit]').click()
    expect(await card.locator('.error').textContent()).toBe('请填写处理措施')
    await card.locator('[data-testid=resolve-text]').fill('门未关好，已关门并复测 3.8°C')
    await card.locator('[data-testid=resolve-submit]').click()
    await card.waitFor({ state: 'detached', timeout: 5000 })
    await page.context().close()
  })

  it('switches to English', async () => {
    const page = await loggedIn()
    await page.click('#lang')
    await expect.poll(() => page.textContent('#tabs a[data-view=shelves]')).toBe('Shelves')
    await page.context().close()
  })

  for (const view of ['shelves', 'cold', 'lockers', 'devices'] as const) {
    it(`shows the ${view} view at phone size`, async () => {
      if (view === 'devices') {
        const dev = await s.h.connect('shelf-a1')
        await dev.publishAsync('shelfgate/s1/shelf/A1/L1/weight', '{"g":"heavy"}', { qos: 1 })
      }
      const page = await loggedIn()
      await page.click(`#tabs a[data-view=${view}]`)
      const marker = { shelves: '[data-lane="A1/L1"]', cold: '[data-unit=F1] svg.chart', lockers: '[data-locker=K1] .slot', devices: 'table' }[view]
      await page.waitForSelector(marker, { timeout: 5000 })
      await screenshot(page, `staff-${view}`)
      await page.context().close()
    })
  }

  it('is installable: a manifest and a service worker that controls the page', async () => {
    const page = await loggedIn()
    const manifest = await page.evaluate(async () => (await fetch('/manifest.webmanifest')).json())
    expect(manifest).toMatchObject({ display: 'standalone', start_url: '/' })
    await expect.poll(() => page.evaluate('navigator.serviceWorker.getRegistration().then((r) => !!(r && r.active))'), { timeout: 5000 }).toBe(true)
    await page.context().close()
  })
})
