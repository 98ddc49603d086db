/**
 * Staff-facing sentences per message key, zh-CN and en. Keys are the `message.key` the rules send
 * (gateway/rules/, devices/cold/, gateway/ingest/); test/alerts/templates.test.ts checks that every key
 * the code emits has both languages. Params: the rule's own, plus `value`, `unit`, `limit` and
 * `name` filled in by i18n.describe when the rule did not send them.
 */
export type Lang = 'zh-CN' | 'en'
export type Texts = Record<Lang, string>

export const templates: Record<string, Texts> = {
  // Cold chain (devices/cold/coldConditions.ts). Params: name, unit, limitC, c, minutes …
  'cold.excursion.warning': { 'zh-CN': '{name} 温度 {value}{unit}，高于上限 {limit}{unit}', en: '{name} is at {value}{unit}, above the {limit}{unit} limit' },
  'cold.excursion.alarm': { 'zh-CN': '{name} 温度持续超标：{value}{unit}（上限 {limit}{unit}）', en: '{name} has stayed too warm: {value}{unit} (limit {limit}{unit})' },
  'cold.excursion.realarm': { 'zh-CN': '{name} 已确认的超温仍未解决：{value}{unit}（上限 {limit}{unit}）', en: '{name} is still too warm after acknowledgement: {value}{unit} (limit {limit}{unit})' },
  'cold.trend': { 'zh-CN': '{name} 温度上升中（{riseCPerH}°C/小时），约 {minutesToLimit} 分钟后超过上限', en: '{name} is warming ({riseCPerH} °C/h) and will pass its limit in about {minutesToLimit} min' },
  'cold.door_open': { 'zh-CN': '{name} 柜门已打开 {minutes} 分钟', en: '{name} door has been open for {minutes} min' },
  'cold.defrost_overrun': { 'zh-CN': '{name} 除霜超过 {maxMin} 分钟仍未结束', en: '{name} defrost has run longer than {maxMin} min' },
  'cold.tta.move_or_discard': { 'zh-CN': '{name} 超温已 {minutes} 分钟：请转移食品或评估丢弃', en: '{name} has been too warm for {minutes} min: move the food or assess it for discard' },
  'cold.tta.discard': { 'zh-CN': '{name} 累计超温 {minutes} 分钟：食品需丢弃', en: '{name} has been too warm for {minutes} min in total: discard the food' },
  'cold.discard': { 'zh-CN': '{name} 累计超温超过 {minutes} 分钟，食品需评估或丢弃', en: '{name} has been above the limit for {minutes} min in total: check or discard the food' },
  'cold.sensor.offline': { 'zh-CN': '{name} 温度传感器离线 {minutes} 分钟', en: '{name} temperature sensor has been silent for {minutes} min' },
  'cold.sensor_offline': { 'zh-CN': '{name} 温度传感器离线', en: '{name} temperature sensor is offline' },
  'cold.sensor.suspect': { 'zh-CN': '{name} 温度读数可疑（{reason}），请检查探头', en: '{name} temperature readings look wrong ({reason}): check the probe' },
  // Shelves (gateway/rules/shelf/). Params: name, sku, shelf, lane, count, restockAt, minutes, grams, offsetG.
  'shelf.low': { 'zh-CN': '{name} 库存低：剩 {count} 件（补货线 {restockAt}）', en: '{name} is running low: {count} left (restock at {restockAt})' },
  'shelf.restock.low': { 'zh-CN': '{name} 库存低：剩 {count} 件', en: '{name} is running low: {count} left' },
  'shelf.out_of_stock': { 'zh-CN': '{name} 已售罄', en: '{name} is out of stock' },
  'shelf.predicted_empty': { 'zh-CN': '{name} 预计 {minutes} 分钟内售罄（剩 {count} 件）', en: '{name} is predicted to sell out in {minutes} min ({count} left)' },
  'shelf.restock.predicted': { 'zh-CN': '{name} 预计 {minutes} 分钟内售罄', en: '{name} is predicted to sell out in {minutes} min' },
  'shelf.misplaced': { 'zh-CN': '{name} 重量异常（{grams} g），可能有错放商品', en: '{name} weight does not match ({grams} g): a misplaced item?' },
  'shelf.calibration_suspect': { 'zh-CN': '{name} 空货道读数偏移 {offsetG} g，请校准秤', en: '{name} reads {offsetG} g when empty: recalibrate the scale' },
  // Lockers (gateway/rules/locker/). Params: subject, seconds, order, dueAt, cause, failures, scope, until.
  'locker.door_ajar': { 'zh-CN': '{name} 柜门未关超过 {seconds} 秒', en: '{name} door has been open for over {seconds} s' },
  'locker.overdue': { 'zh-CN': '{name} 订单超时未取', en: '{name} order has not been collected in time' },
  'locker.forced': { 'zh-CN': '{name} 柜门被强行打开', en: '{name} door was forced open' },
  'locker.unlock_failed': { 'zh-CN': '{name} 开锁失败（{cause}）', en: '{name} failed to unlock ({cause})' },
  'locker.compartment_temperature': { 'zh-CN': '{name} 冷藏格温度超标（{unit}），订单 {orderId} 可能受影响', en: '{name}: refrigerated compartment out of range ({unit}), order {orderId} at risk' },
  'locker.code_bruteforce': { 'zh-CN': '{name} 取件码连续输错 {failures} 次，已锁定', en: '{name}: {failures} wrong pickup codes, entry locked' },
  // Devices and the gateway itself.
  'device.offline': { 'zh-CN': '设备 {name} 离线', en: 'Device {name} is offline' },
  'device.battery_low': { 'zh-CN': '设备 {name} 电量低（{value}%）', en: 'Device {name} battery is low ({value}%)' },
  'system.storage_failure': { 'zh-CN': '网关存储写入失败：{error}。数据可能丢失，请检查存储卡', en: 'Gateway storage is failing: {error}. Data may be lost: check the SD card' },
}

export const generic: Texts = { 'zh-CN': '{subject}：规则 {rule} 触发', en: '{subject}: rule {rule} triggered' }
