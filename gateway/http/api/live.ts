/**
 * /api/live: a WebSocket that pushes alert changes to the staff page. Authenticated by the session
 * cookie at the upgrade; the Origin must be this gateway (a cookie alone would let another site's page
 * open the socket: cross-site WebSocket hijacking). Messages: {type:'alerts', alerts:[…]} once, then
 * {type:'alert', alert} per change. The socket closes when the session expires.
 */
import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import type { SharedApis } from '../../core/apis.ts'
import type { Logger } from '../../core/log.ts'
import { sessionOf } from './auth.ts'
import type { Sessions } from './sessions.ts'

export interface LiveDeps {
  server: Server
  sessions: Sessions
  shared: SharedApis
  now: () => number
  log: Logger
}

function refuse(socket: Duplex, status: 401 | 403, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}

export function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin
  if (origin === undefined) return true // not a browser: the cookie is the only credential anyway
  try {
    return new URL(origin).host === req.headers.host
  } catch {
    return false
  }
}

export function startLive(deps: LiveDeps): { close(): Promise<void> } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 })
  const unsubscribes = new Set<() => void>()

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== '/api/live') return // someone else's upgrade
    const session = sessionOf(deps.sessions, req.headers.cookie)
    if (!session) return refuse(socket, 401, 'Unauthorized')
    if (!sameOrigin(req)) return refuse(socket, 403, 'Forbidden')
    wss.handleUpgrade(req, socket, head, (ws) => void welcome(ws, session.expiresAt))
  }

  async function welcome(ws: WebSocket, expiresAt: number): Promise<void> {
    const send = (msg: unknown) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg))
    }
    const api = deps.shared.alerts
    const off = api?.onChange((alert) => send({ type: 'alert', alert })) ?? (() => {})
    unsubscribes.add(off)
    const expiry = setTimeout(() => ws.close(4001, 'session expired'), Math.max(0, expiresAt - deps.now()))
    expiry.unref()
    ws.on('close', () => {
      off()
      unsubscribes.delete(off)
      clearTimeout(expiry)
    })
    ws.on('error', (err) => deps.log.debug({ err }, 'live socket error'))
    try {
      send(api ? { type: 'alerts', alerts: await api.list({ status: 'active' }) } : { type: 'unavailable', what: 'alerts' })
    } catch (err) {
      deps.log.error({ err }, 'could not send the alert list to a live socket')
    }
  }

  deps.server.on('upgrade', onUpgrade)
  return {
    async close() {
      deps.server.off('upgrade', onUpgrade)
      for (const off of unsubscribes) off()
      for (const ws of wss.clients) ws.terminate()
      await new Promise<void>((r) => wss.close(() => r()))
    },
  }
}
