// REST + live socket. The CSRF token from login (or /api/session) goes in every POST.
let csrf = ''

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || `HTTP ${status}`)
    this.status = status
    this.code = body?.error
  }
}

async function call(method, path, body) {
  const headers = {}
  if (method !== 'GET') headers['X-CSRF-Token'] = csrf
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' })
  const json = res.status === 204 ? undefined : await res.json().catch(() => undefined)
  if (!res.ok) throw new ApiError(res.status, json)
  return json
}

export async function session() {
  const s = await call('GET', '/api/session')
  csrf = s.csrfToken
  return s
}

export async function login(username, password) {
  const s = await call('POST', '/api/login', { username, password })
  csrf = s.csrfToken
  return s
}

export const logout = () => call('POST', '/api/logout')
export const get = (path) => call('GET', path)
export const ack = (id, note) => call('POST', `/api/alerts/${encodeURIComponent(id)}/ack`, { note })
export const resolve = (id, correctiveAction) => call('POST', `/api/alerts/${encodeURIComponent(id)}/resolve`, { correctiveAction })

/** Opens /api/live and reconnects with backoff; calls onMessage with each parsed message. */
export function live(onMessage, onState) {
  let ws
  let delay = 1000
  let stopped = false
  const open = () => {
    ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/live`)
    ws.onopen = () => ((delay = 1000), onState(true))
    ws.onmessage = (e) => onMessage(JSON.parse(e.data))
    ws.onclose = () => {
      onState(false)
      if (!stopped) setTimeout(open, (delay = Math.min(delay * 2, 30000)))
    }
  }
  open()
  return () => ((stopped = true), ws?.close())
}
