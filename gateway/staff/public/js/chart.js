// 24 h temperature chart as inline SVG: min–max band, mean line, dashed limit.
import { svg } from './dom.js'

export function tempChart(points, limitC, from, to) {
  const W = 340, H = 140, L = 28, B = 16
  const values = points.flatMap((p) => [p.min, p.max]).concat(limitC)
  const lo = Math.floor(Math.min(...values) - 1), hi = Math.ceil(Math.max(...values) + 1)
  const x = (ts) => L + ((ts - from) / (to - from)) * (W - L - 4)
  const y = (c) => 4 + ((hi - c) / (hi - lo)) * (H - B - 8)
  const line = points.map((p, i) => `${i ? 'L' : 'M'}${x(p.ts).toFixed(1)},${y(p.c).toFixed(1)}`).join('')
  const band = points.length
    ? `M${points.map((p) => `${x(p.ts).toFixed(1)},${y(p.max).toFixed(1)}`).join('L')}L${points.slice().reverse().map((p) => `${x(p.ts).toFixed(1)},${y(p.min).toFixed(1)}`).join('L')}Z`
    : ''
  const hours = [0, 6, 12, 18, 24].map((hh) => from + (hh / 24) * (to - from))
  return svg('svg', { class: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'img' },
    svg('path', { class: 'band', d: band }),
    svg('line', { class: 'limit', x1: L, x2: W - 4, y1: y(limitC), y2: y(limitC) }),
    svg('path', { class: 'line', d: line }),
    svg('text', { x: 2, y: y(hi) + 8 }, `${hi}°`),
    svg('text', { x: 2, y: y(lo) }, `${lo}°`),
    hours.map((ts, i) => svg('text', { x: x(ts), y: H - 2, 'text-anchor': i === 0 ? 'start' : i === 4 ? 'end' : 'middle' }, new Date(ts).toTimeString().slice(0, 5))),
  )
}
