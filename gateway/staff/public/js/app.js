// Staff page shell: login, tabs (history API routes), language switch, live socket.
import * as api from './api.js'
import { AlertList } from './alerts.js'
import { applyStatic, getLang, setLang, t } from './i18n.js'
import * as panels from './panels.js'

const $ = (id) => document.getElementById(id)
let list
let stopLive

function viewOf(path) {
  const v = path.split('/')[1]
  return ['shelves', 'cold', 'lockers', 'devices'].includes(v) ? v : 'alerts'
}

async function show(path, push = false) {
  if (push) history.pushState({}, '', path)
  const view = viewOf(path)
  for (const a of document.querySelectorAll('#tabs a')) a.classList.toggle('active', a.dataset.view === view)
  const el = $('view')
  el.dataset.view = view
  if (view === 'alerts') return el.replaceChildren(list.el)
  el.replaceChildren(await panels[view]())
}

function setCount(n) {
  const b = $('alert-count')
  b.hidden = n === 0
  b.textContent = String(n)
}

async function enter(user) {
  $('login').hidden = true
  $('view').hidden = false
  $('tabs').hidden = false
  $('logout').hidden = false
  $('store-title').textContent = `Shelfgate · ${user.name}${user.canAct ? '' : ` (${t('readOnly')})`}`
  list = new AlertList(user, setCount)
  list.replace((await api.get('/api/alerts').catch(() => ({ alerts: [] }))).alerts)
  stopLive = api.live((msg) => {
    if (msg.type === 'alerts') list.replace(msg.alerts)
    if (msg.type === 'alert') list.upsert(msg.alert)
  }, (on) => $('live').classList.toggle('on', on))
  await show(location.pathname)
}

function showLogin() {
  stopLive?.()
  $('login').hidden = false
  $('view').hidden = true
  $('tabs').hidden = true
  $('logout').hidden = true
}

function renderLang() {
  $('lang').textContent = getLang() === 'zh-CN' ? 'EN' : '中文'
  applyStatic()
  if (list) list.render()
  if (!$('view').hidden && $('view').dataset.view !== 'alerts') void show(location.pathname)
}

$('lang').addEventListener('click', () => {
  setLang(getLang() === 'zh-CN' ? 'en' : 'zh-CN')
  renderLang()
})

$('login-form').addEventListener('submit', async (e) => {
  e.preventDefault()
  const f = new FormData(e.target)
  try {
    const s = await api.login(String(f.get('username')), String(f.get('password')))
    $('login-error').textContent = ''
    e.target.reset()
    await enter(s.user)
  } catch (err) {
    $('login-error').textContent = err.status === 429 ? t('tooMany') : t('loginFailed')
  }
})

$('logout').addEventListener('click', async () => {
  await api.logout().catch(() => {})
  showLogin()
})

document.querySelector('#tabs').addEventListener('click', (e) => {
  const a = e.target.closest('a')
  if (!a) return
  e.preventDefault()
  void show(a.getAttribute('href'), true)
})
window.addEventListener('popstate', () => void show(location.pathname))

setLang(getLang())
renderLang()
if ('serviceWorker' in navigator) navigator.serviceWorker.register('/sw.js').catch(() => {})
api.session().then((s) => enter(s.user), showLogin)
