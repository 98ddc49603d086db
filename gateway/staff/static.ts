/**
 * Serves the staff page from gateway/staff/public: plain HTML, CSS and ES modules, no build step, no
 * CDN. A fixed allow-list read once at start, so no path from a request ever reaches the file system.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { extname, join, relative } from 'node:path'
import type { FastifyInstance } from 'fastify'

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
  '.json': 'application/json',
}

const security = {
  'content-security-policy': "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
}

export const publicDir = new URL('./public/', import.meta.url).pathname

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? walk(p) : [p]
  })
}

export function registerStaffPage(app: FastifyInstance, dir = publicDir): void {
  const files = new Map<string, { body: Buffer; type: string }>()
  for (const p of walk(dir)) files.set(`/${relative(dir, p)}`, { body: readFileSync(p), type: types[extname(p)] ?? 'application/octet-stream' })
  const index = files.get('/index.html')
  if (!index) throw new Error(`staff page: ${dir}index.html is missing`)

  const send = (reply: import('fastify').FastifyReply, f: { body: Buffer; type: string }, cache: string) =>
    reply.headers({ ...security, 'content-type': f.type, 'cache-control': cache }).send(f.body)

  for (const [path, f] of files) {
    if (path === '/index.html') continue
    // The service worker must not be cached by HTTP, or an update never reaches the phones.
    app.get(path, async (_req, reply) => send(reply, f, path === '/sw.js' ? 'no-cache' : 'max-age=300'))
  }
  // The page, and its in-app routes (links in messages point at /alerts/{id}).
  for (const route of ['/', '/alerts/:id', '/shelves', '/cold', '/lockers', '/devices']) {
    app.get(route, async (_req, reply) => send(reply, index, 'no-cache'))
  }
}
