/** Byte limits of chat services count UTF-8 bytes; a Chinese character is 3 of them. */
const encoder = new TextEncoder()

export function utf8Length(s: string): number {
  return encoder.encode(s).length
}

/**
 * Cut `s` to at most `maxBytes` UTF-8 bytes without splitting a character (or a surrogate pair),
 * ending with "…" when something was cut.
 */
export function truncateUtf8(s: string, maxBytes: number): string {
  if (utf8Length(s) <= maxBytes) return s
  const ellipsis = '…'
  const budget = maxBytes - utf8Length(ellipsis)
  let used = 0
  let out = ''
  for (const ch of s) {
    // Iterating a string yields whole code points, so a surrogate pair is never split.
    const n = utf8Length(ch)
    if (used + n > budget) break
    used += n
    out += ch
  }
  return out + ellipsis
}

/** Telegram counts characters (UTF-16 units after entity parsing), not bytes. */
export function truncateChars(s: string, maxUnits: number): string {
  if (s.length <= maxUnits) return s
  let out = ''
  for (const ch of s) {
    if (out.length + ch.length > maxUnits - 1) break
    out += ch
  }
  return out + '…'
}
