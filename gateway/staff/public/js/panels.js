// Shelves, cold units, lockers and devices: read-only panels fetched when shown.
import * as api from './api.js'
import { tempChart } from './chart.js'
import { h } from './dom.js'
import { t, time } from './i18n.js'

const unavailable = (err) => h('p', { class: 'empty' }, err.status === 503 ? t('unavailable') : err.message)

// The CSP forbids style attributes; setting the property through the CSSOM is allowed.
function bar(pct, cls) {
  const fill = h('i')
  fill.style.width = `${pct}%`
  return h('div', { class: `bar ${cls}` }, fill)
}

export async function shelves() {
  try {
    const { lanes } = await api.get('/api/shelves')
    if (!lanes.length) return h('p', { class: 'empty' }, t('noData'))
    return h('div', {}, lanes.map((l) => {
      const pct = l.count === undefined ? 0 : Math.min(100, (l.count / l.capacity) * 100)
      const cls = l.outOfStock ? 'out' : l.lowStock ? 'low' : ''
      return h('div', { class: 'card', 'data-lane': `${l.shelf}/${l.lane}` },
        h('div', { class: 'row' }, h('strong', {}, l.name), h('span', { class: 'big' }, l.count ?? '—', h('small', { class: 'muted' }, ` / ${l.capacity}`))),
        bar(pct, cls),
        h('p', { class: 'muted' }, `${l.shelf}/${l.lane}`,
          l.outOfStock ? h('span', { class: 'pill critical' }, t('outOfStock')) : l.lowStock ? h('span', { class: 'pill warning' }, t('lowStock')) : null,
          l.predictedEmptyAt ? h('span', { class: 'pill' }, `${t('predictedEmpty')} ${time(l.predictedEmptyAt)}`) : null))
    }))
  } catch (err) {
    return unavailable(err)
  }
}

export async function cold() {
  try {
    const { units } = await api.get('/api/cold')
    if (!units.length) return h('p', { class: 'empty' }, t('noData'))
    const cards = units.map((u) => {
      const chart = h('div', { class: 'chart-slot' })
      api.get(`/api/cold/${encodeURIComponent(u.id)}/history`).then(
        (hist) => chart.replaceChildren(hist.points.length ? tempChart(hist.points, u.limitC, hist.from, hist.to) : h('p', { class: 'muted' }, t('noData'))),
        () => chart.replaceChildren(h('p', { class: 'muted' }, t('noData'))),
      )
      return h('div', { class: 'card', 'data-unit': u.id },
        h('div', { class: 'row' }, h('strong', {}, u.name), h('span', { class: 'big' }, u.tempC === undefined ? '—' : `${u.tempC.toFixed(1)}°C`)),
        h('p', {}, h('span', { class: `pill ${u.status}` }, t(`status_${u.status}`)), h('span', { class: 'muted' }, ` ${t('limit')} ${u.limitC}°C`),
          u.doorOpen ? h('span', { class: 'pill warning' }, t('doorOpen')) : null, u.defrost ? h('span', { class: 'pill' }, t('defrost')) : null),
        h('p', { class: 'muted' }, t('h24')), chart)
    })
    return h('div', {}, cards)
  } catch (err) {
    return unavailable(err)
  }
}

export async function lockers() {
  try {
    const { lockers } = await api.get('/api/lockers')
    if (!lockers.length) return h('p', { class: 'empty' }, t('noData'))
    return h('div', {}, lockers.map((k) => h('div', { class: 'card', 'data-locker': k.id },
      h('div', { class: 'row' }, h('strong', {}, k.name), h('span', { class: `pill ${k.online ? 'ok' : 'offline'}` }, t(k.online ? 'online' : 'offline'))),
      h('div', { class: 'grid' }, k.compartments.map((c) => h('div', { class: `slot ${c.state} ${c.doorOpen ? 'open' : ''}`, title: c.orderId ?? '' },
        h('b', {}, c.slot), c.tempClass === 'ambient' ? '' : c.tempClass === 'chilled' ? '❄' : '❄❄', h('div', {}, c.state)))))))
  } catch (err) {
    return unavailable(err)
  }
}

export async function devices() {
  try {
    const { devices } = await api.get('/api/devices')
    if (!devices.length) return h('p', { class: 'empty' }, t('noData'))
    return h('div', { class: 'card' }, h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, t('devices')), h('th', {}, ''), h('th', {}, t('lastSeen')), h('th', {}, t('refused')))),
      h('tbody', {}, devices.map((d) => h('tr', { 'data-device': d.device },
        h('td', {}, d.device), h('td', {}, h('span', { class: `pill ${d.online ? 'ok' : 'offline'}` }, t(d.online ? 'online' : 'offline'))),
        h('td', {}, time(d.lastSeen)), h('td', { title: d.lastRefusal ? `${d.lastRefusal.reason}: ${d.lastRefusal.detail}` : '' }, d.refused))))))
  } catch (err) {
    return unavailable(err)
  }
}
