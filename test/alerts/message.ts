/** A ready-made outbound message for channel tests. */
import type { OutboundMessage } from '../../gateway/alerts/channels/types.ts'

export function message(over: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    title: '[严重] 乳品冷柜 温度持续超标：8.2°C（上限 5°C）',
    text: '[严重] 乳品冷柜 温度持续超标：8.2°C（上限 5°C）\n位置: B 通道\nhttp://gw.local/alerts/a1',
    markdown: '**[严重] 乳品冷柜 温度持续超标：8.2°C（上限 5°C）**\n> 位置: B 通道\n[查看](http://gw.local/alerts/a1)',
    severity: 'critical',
    kind: 'new',
    lang: 'zh-CN',
    alertIds: ['a1'],
    link: 'http://gw.local/alerts/a1',
    ...over,
  }
}
