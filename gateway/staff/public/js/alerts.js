// The live alert list with acknowledge / resolve (+ note, corrective action).
import * as api from './api.js'
import { h } from './dom.js'
import { getLang, t, time } from './i18n.js'

function actionForm(kind, onSubmit, onCancel) {
  const field = h('textarea', { name: kind === 'ack' ? 'note' : 'correctiveAction', 'data-testid': `${kind}-text` })
  const error = h('p', { class: 'error', role: 'alert' })
  const form = h('form', { class: 'action-form' },
    h('label', {}, h('span', {}, t(kind === 'ack' ? 'note' : 'correctiveAction')), field),
    error,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', 'data-testid': `${kind}-submit` }, t('save')),
      h('button', { type: 'button', class: 'secondary', onclick: onCancel }, t('cancel'))),
  )
  form.addEventListener('submit', async (e) => {
    e.preventDefault()
    const text = field.value.trim()
    if (kind === 'resolve' && !text) return (error.textContent = t('needAction'))
    form.querySelector('button[type=submit]').disabled = true
    try {
      await onSubmit(text)
    } catch (err) {
      error.textContent = err.message
      form.querySelector('button[type=submit]').disabled = false
    }
  })
  setTimeout(() => field.focus(), 0)
  return form
}

function alertCard(a, user, onChanged) {
  const card = h('article', { class: `card alert ${a.severity}`, 'data-alert': a.id, 'data-status': a.status })
  const render = (form) => {
    card.replaceChildren(...[
      h('div', { class: 'row' },
        h('span', {}, h('span', { class: `pill ${a.severity}` }, t(a.severity)), h('span', { class: 'pill' }, t(a.status))),
        h('span', { class: 'muted' }, time(a.openedAt))),
      h('p', { class: 'title' }, a.titles?.[getLang()] ?? a.title),
      a.occurrences > 1 ? h('p', { class: 'muted' }, `×${a.occurrences} ${t('occurrences')}`) : null,
      a.acknowledgedBy ? h('p', { class: 'muted', 'data-testid': 'ack-info' }, `${t('acknowledged')} ${t('by')} ${a.acknowledgedBy} · ${time(a.acknowledgedAt)}${a.ackNote ? ` — ${a.ackNote}` : ''}`) : null,
      form ?? (user.canAct && a.status !== 'resolved'
        ? h('div', { class: 'actions' },
            a.status === 'open' ? h('button', { type: 'button', 'data-testid': 'ack', onclick: () => render(actionForm('ack', async (note) => onChanged((await api.ack(a.id, note)).alert), () => render())) }, t('acknowledge')) : null,
            h('button', { type: 'button', class: 'secondary', 'data-testid': 'resolve', onclick: () => render(actionForm('resolve', async (text) => onChanged((await api.resolve(a.id, text)).alert), () => render())) }, t('resolve')))
        : null),
    ].filter(Boolean))
  }
  render()
  return card
}

/** Keeps the open alerts in a map; the live socket and the buttons both feed `upsert`. */
export class AlertList {
  constructor(user, onCount) {
    this.user = user
    this.onCount = onCount
    this.alerts = new Map()
    this.el = h('div', { id: 'alerts' })
  }

  replace(list) {
    this.alerts = new Map(list.map((a) => [a.id, a]))
    this.render()
  }

  upsert(a) {
    if (a.status === 'resolved') this.alerts.delete(a.id)
    else this.alerts.set(a.id, a)
    this.render()
  }

  render() {
    const rank = { critical: 0, warning: 1, info: 2 }
    const list = [...this.alerts.values()].sort((x, y) => (x.status === 'open') === (y.status === 'open') ? rank[x.severity] - rank[y.severity] || y.openedAt - x.openedAt : x.status === 'open' ? -1 : 1)
    this.onCount(list.filter((a) => a.status === 'open').length)
    // Do not tear down a card whose form someone is typing in.
    if (this.el.querySelector('.action-form textarea:focus')) return
    this.el.replaceChildren(...(list.length ? list.map((a) => alertCard(a, this.user, (x) => this.upsert(x))) : [h('p', { class: 'empty' }, t('noAlerts'))]))
  }
}
