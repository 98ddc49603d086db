/** Folds several pending messages for one channel into one, so a rate limit delays but never drops. */
import type { Severity } from '../../contract/conditions.ts'
import type { OutboundMessage } from '../channels/types.ts'
import { digestMore, digestTitle } from '../i18n.ts'

// Enough to see what happened; the staff page has the rest.
const maxItems = 20
const rank: Record<Severity, number> = { info: 0, warning: 1, critical: 2 }

export function mergeMessages(parts: OutboundMessage[]): OutboundMessage {
  const first = parts[0]
  if (!first) throw new Error('mergeMessages needs at least one message')
  const lang = first.lang
  const shown = parts.slice(0, maxItems)
  const more = parts.length - shown.length
  const textItems = shown.map((m) => (m.link ? `• ${m.title}\n  ${m.link}` : `• ${m.title}`))
  const mdItems = shown.map((m) => (m.link ? `- [${m.title}](${m.link})` : `- ${m.title}`))
  if (more > 0) {
    textItems.push(digestMore(more, lang))
    mdItems.push(digestMore(more, lang))
  }
  const title = digestTitle(parts.length, lang)
  const severity = parts.reduce<Severity>((s, m) => (rank[m.severity] > rank[s] ? m.severity : s), 'info')
  const mentions = [...new Set(parts.flatMap((m) => m.mentionMobiles ?? []))]
  return {
    title,
    text: [title, ...textItems].join('\n'),
    markdown: [`**${title}**`, ...mdItems].join('\n'),
    severity,
    kind: 'digest',
    lang,
    alertIds: [...new Set(parts.flatMap((m) => m.alertIds))],
    ...(mentions.length > 0 ? { mentionMobiles: mentions } : {}),
  }
}
