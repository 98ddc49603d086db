// UI strings. Alert titles come from the gateway in both languages (alert.titles).
const strings = {
  'zh-CN': {
    login: '员工登录', username: '用户名', password: '密码', signIn: '登录', logout: '退出', live: '实时连接',
    alerts: '告警', shelves: '货架', cold: '冷柜', lockers: '自提柜', devices: '设备',
    noAlerts: '当前没有告警 🎉', acknowledge: '确认', resolve: '处理完成', note: '备注（可选）', correctiveAction: '处理措施（必填）',
    save: '提交', cancel: '取消', open: '待处理', acknowledged: '已确认', resolved: '已解决', since: '开始', by: '由',
    critical: '严重', warning: '警告', info: '提示', count: '件', lowStock: '库存低', outOfStock: '售罄', predictedEmpty: '预计售罄',
    limit: '上限', door: '门', doorOpen: '门开', defrost: '除霜', online: '在线', offline: '离线', lastSeen: '最后在线', refused: '拒收',
    readings: '读数', unavailable: '此功能未在网关上运行', loginFailed: '用户名或密码错误', tooMany: '尝试次数过多，请稍后再试',
    needAction: '请填写处理措施', noData: '暂无数据', h24: '近 24 小时', status_ok: '正常', status_warning: '预警', status_alarm: '报警',
    status_offline: '离线', status_suspect: '可疑', status_unknown: '未知', occurrences: '次', minutes: '分钟', readOnly: '只读账号',
  },
  en: {
    login: 'Staff login', username: 'Username', password: 'Password', signIn: 'Sign in', logout: 'Log out', live: 'Live',
    alerts: 'Alerts', shelves: 'Shelves', cold: 'Cold', lockers: 'Lockers', devices: 'Devices',
    noAlerts: 'No open alerts 🎉', acknowledge: 'Acknowledge', resolve: 'Resolve', note: 'Note (optional)', correctiveAction: 'Corrective action (required)',
    save: 'Submit', cancel: 'Cancel', open: 'Open', acknowledged: 'Acknowledged', resolved: 'Resolved', since: 'Since', by: 'by',
    critical: 'Critical', warning: 'Warning', info: 'Info', count: 'pcs', lowStock: 'Low stock', outOfStock: 'Out of stock', predictedEmpty: 'Empty at',
    limit: 'limit', door: 'Door', doorOpen: 'Door open', defrost: 'Defrost', online: 'Online', offline: 'Offline', lastSeen: 'Last seen', refused: 'Refused',
    readings: 'Readings', unavailable: 'Not running on this gateway', loginFailed: 'Wrong username or password', tooMany: 'Too many attempts; try again later',
    needAction: 'Say what was done', noData: 'No data yet', h24: 'Last 24 h', status_ok: 'OK', status_warning: 'Warning', status_alarm: 'Alarm',
    status_offline: 'Offline', status_suspect: 'Suspect', status_unknown: 'Unknown', occurrences: 'times', minutes: 'min', readOnly: 'Read-only account',
  },
}

let lang = localStorage.getItem('lang') || (navigator.language?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en')

export const getLang = () => lang
export function setLang(l) {
  lang = l
  localStorage.setItem('lang', l)
  document.documentElement.lang = l
}
export const t = (key) => strings[lang][key] ?? strings.en[key] ?? key

export function time(ms) {
  if (!ms) return '—'
  return new Date(ms).toLocaleString(lang, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
}

export function applyStatic(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n)
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle)
}
