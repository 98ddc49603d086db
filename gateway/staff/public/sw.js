// Minimal service worker: makes the page installable and opens the shell without a network.
// API calls always go to the network (stale alerts would be worse than an error).
const CACHE = 'shelfgate-shell-v1'
const SHELL = ['/', '/style.css', '/manifest.webmanifest', '/icon.svg', '/js/app.js', '/js/api.js', '/js/i18n.js', '/js/dom.js', '/js/alerts.js', '/js/panels.js', '/js/chart.js']

self.addEventListener('install', (e) => e.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting())))
self.addEventListener('activate', (e) =>
  e.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k)))).then(() => self.clients.claim())),
)
self.addEventListener('fetch', (e) => {
  const url = new URL(e.request.url)
  if (e.request.method !== 'GET' || url.origin !== location.origin || url.pathname.startsWith('/api/')) return
  // Network first, so an updated gateway is picked up; the cache when the gateway is unreachable.
  const key = e.request.mode === 'navigate' ? '/' : e.request
  e.respondWith(fetch(e.request).catch(() => caches.match(key)))
})
