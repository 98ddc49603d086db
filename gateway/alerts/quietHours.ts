/**
 * Quiet hours in the store's timezone, e.g. 22:30–07:00 Asia/Shanghai. Pure: takes an instant, returns
 * whether it is quiet and when the quiet period ends. A window may cross midnight (from > to).
 */
export interface QuietHours {
  from: string // "HH:MM" local time
  to: string // "HH:MM" local time
  timezone: string // IANA, e.g. "Asia/Shanghai"
}

function parseHm(hm: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hm)
  if (!m) throw new Error(`quiet hours time must be "HH:MM" (got "${hm}")`)
  const h = Number(m[1])
  const min = Number(m[2])
  if (h > 23 || min > 59) throw new Error(`quiet hours time out of range (got "${hm}")`)
  return h * 60 + min
}

const formatters = new Map<string, Intl.DateTimeFormat>()

/** Local wall-clock minutes since midnight and the ms already elapsed within the current minute. */
function localMinuteOfDay(now: number, timezone: string): { minute: number; intoMinuteMs: number } {
  let f = formatters.get(timezone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    formatters.set(timezone, f)
  }
  const parts = f.formatToParts(now)
  const h = Number(parts.find((p) => p.type === 'hour')?.value)
  const m = Number(parts.find((p) => p.type === 'minute')?.value)
  // Timezone offsets are whole minutes for every zone in use today, so UTC seconds are local seconds.
  return { minute: h * 60 + m, intoMinuteMs: ((now % 60_000) + 60_000) % 60_000 }
}

/** Returns the instant quiet hours end if `now` is inside them, otherwise undefined. */
export function quietUntil(now: number, q: QuietHours): number | undefined {
  const from = parseHm(q.from)
  const to = parseHm(q.to)
  if (from === to) return undefined
  const { minute, intoMinuteMs } = localMinuteOfDay(now, q.timezone)
  const inside = from < to ? minute >= from && minute < to : minute >= from || minute < to
  if (!inside) return undefined
  const minutesLeft = (to - minute + 1440) % 1440
  // Approximation across a DST jump (at most one hour off); stores in China have no DST.
  return now - intoMinuteMs + minutesLeft * 60_000
}
