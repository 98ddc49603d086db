/** Builds the channel senders from the validated `alerts.channels` config. */
import type { ChannelConfig } from '../../config/alertsConfig.ts'
import type { ChannelRoute } from '../types.ts'
import { DingtalkChannel } from './dingtalk.ts'
import { FeishuChannel } from './feishu.ts'
import { NtfyChannel } from './ntfy.ts'
import { TelegramChannel } from './telegram.ts'
import type { Channel } from './types.ts'
import { WebhookChannel } from './webhook.ts'
import { WecomChannel } from './wecom.ts'

export function channelFromConfig(c: ChannelConfig, name: string): Channel {
  const timeoutMs = c.timeoutMs
  switch (c.type) {
    case 'wecom':
      return new WecomChannel({ name, key: c.key, baseUrl: c.baseUrl, format: c.format, timeoutMs })
    case 'ntfy':
      return new NtfyChannel({ name, url: c.url, token: c.token, timeoutMs })
    case 'dingtalk':
      return new DingtalkChannel({ name, accessToken: c.accessToken, secret: c.secret, baseUrl: c.baseUrl, format: c.format, timeoutMs })
    case 'feishu':
      return new FeishuChannel({ name, hookId: c.hookId, secret: c.secret, baseUrl: c.baseUrl, timeoutMs })
    case 'telegram':
      return new TelegramChannel({ name, botToken: c.botToken, chatId: c.chatId, group: c.group, parseMode: c.parseMode, baseUrl: c.baseUrl, timeoutMs })
    case 'webhook':
      return new WebhookChannel({ name, url: c.url, secret: c.secret, timeoutMs })
  }
}

export function routeOf(c: ChannelConfig, name: string): ChannelRoute {
  return { name, ...(c.roles ? { roles: c.roles } : {}), ...(c.areas ? { areas: c.areas } : {}), ...(c.personal ? { personal: true } : {}) }
}
