/** An in-process channel for lifecycle tests that do not need HTTP: records what it was asked to send. */
import type { Channel, OutboundMessage, RateLimitSpec, SendContext, SendOutcome } from '../../gateway/alerts/channels/types.ts'

export class MemoryChannel implements Channel {
  readonly type = 'webhook'
  readonly name: string
  readonly limits: RateLimitSpec[]
  readonly sent: Array<{ msg: OutboundMessage; ctx: SendContext }> = []
  /** Outcomes to return before answering 'sent'. */
  readonly script: SendOutcome[] = []

  constructor(name: string, limits: RateLimitSpec[] = []) {
    this.name = name
    this.limits = limits
  }

  async send(msg: OutboundMessage, ctx: SendContext): Promise<SendOutcome> {
    const outcome = this.script.shift() ?? { status: 'sent' }
    if (outcome.status === 'sent') this.sent.push({ msg, ctx })
    return outcome
  }
}
