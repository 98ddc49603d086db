/**
 * The bridge from the engine's notification intents to the outbox: renders the message in the store's
 * language and queues one entry per channel. Quiet-hour intents are queued with notBefore at the end of
 * quiet hours and marked held, so the dispatcher releases them as one digest.
 */
import type { OutboundMessage } from './channels/types.ts'
import type { Outbox } from './delivery/outbox.ts'
import { renderAlert, toMarkdown, toPlainText, type Lang } from './i18n.ts'
import type { NotificationIntent } from './types.ts'

export interface NotifierOptions {
  outbox: Outbox
  lang: Lang
  timezone: string
  staffBaseUrl: string
  newId?: () => string
}

export class Notifier {
  readonly #o: NotifierOptions
  readonly #newId: () => string

  constructor(opts: NotifierOptions) {
    this.#o = opts
    this.#newId = opts.newId ?? (() => crypto.randomUUID())
  }

  render(intent: NotificationIntent): OutboundMessage {
    const { alert, kind } = intent
    const unackedForMs = kind === 'escalated' ? intent.at - (alert.criticalSince ?? alert.openedAt) : undefined
    const r = renderAlert(alert, kind, { lang: this.#o.lang, timezone: this.#o.timezone, staffBaseUrl: this.#o.staffBaseUrl, unackedForMs })
    const mobiles = kind === 'escalated' ? intent.recipients.flatMap((p) => (p.mobile ? [p.mobile] : [])) : []
    return {
      title: r.title,
      text: toPlainText(r),
      markdown: toMarkdown(r, this.#o.lang),
      severity: alert.severity,
      kind,
      lang: this.#o.lang,
      alertIds: [alert.id],
      link: r.link,
      ...(mobiles.length > 0 ? { mentionMobiles: mobiles } : {}),
    }
  }

  async notify(intent: NotificationIntent): Promise<void> {
    const message = this.render(intent)
    for (const channel of intent.channels) {
      const id = this.#newId()
      await this.#o.outbox.enqueue({
        id,
        channel,
        message,
        idempotencyKey: id,
        createdAt: intent.at,
        notBefore: intent.notBefore,
        attempts: 0,
        held: intent.notBefore > intent.at,
        status: 'pending',
      })
    }
  }
}
