'use strict'
/**
 * Assigns a group-buy order to a pickup locker through the gateway's REST API
 * (POST /api/lockers/:locker/orders) as a service account with HTTP Basic auth.
 * Plain module, no Node-RED: the node in ../nodes/shelfgate-order.js is a thin wrapper.
 */

const TEMP_CLASSES = ['ambient', 'chilled', 'frozen']

/** Checks and normalises msg.payload (+ the node's default locker); throws with a readable message. */
function orderRequest(payload, defaultLocker) {
  const p = payload && typeof payload === 'object' ? payload : {}
  const locker = p.locker || defaultLocker
  if (typeof locker !== 'string' || locker === '') throw new Error('no locker: set msg.payload.locker or the node\'s locker')
  if (typeof p.orderId !== 'string' || p.orderId === '') throw new Error('msg.payload.orderId must be a non-empty string')
  if (!TEMP_CLASSES.includes(p.tempClass)) throw new Error(`msg.payload.tempClass must be one of ${TEMP_CLASSES.join(', ')}`)
  const body = { orderId: p.orderId, tempClass: p.tempClass }
  if (p.deadline !== undefined) body.deadline = p.deadline
  return { locker, body }
}

/**
 * POSTs the order; resolves with the API's answer ({ ok, orderId, slot, code, ... }) or rejects with
 * an Error carrying the API's message, `status` and `code` (the API's error code).
 */
async function createOrder(gateway, payload, defaultLocker, timeoutMs = 10000) {
  const { locker, body } = orderRequest(payload, defaultLocker)
  const url = `${String(gateway.url).replace(/\/+$/, '')}/api/lockers/${encodeURIComponent(locker)}/orders`
  const auth = Buffer.from(`${gateway.username || ''}:${gateway.password || ''}`).toString('base64')
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Basic ${auth}` },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  })
  const text = await res.text()
  let answer
  try {
    answer = text ? JSON.parse(text) : {}
  } catch {
    answer = { message: text }
  }
  if (!res.ok) {
    const err = new Error(`gateway answered ${res.status}: ${answer.message || answer.error || res.statusText}`)
    err.status = res.status
    err.code = answer.error
    throw err
  }
  return answer
}

/** Our request state → Node-RED status object (STYLE.md: green dot / yellow ring / red ring). */
function statusOf(state, text) {
  switch (state) {
    case 'ok':
      return { fill: 'green', shape: 'dot', text: text || 'ok' }
    case 'sending':
      return { fill: 'yellow', shape: 'ring', text: text || 'sending' }
    case 'error':
      return { fill: 'red', shape: 'ring', text: text || 'error' }
    default:
      return {}
  }
}

module.exports = { TEMP_CLASSES, orderRequest, createOrder, statusOf }
