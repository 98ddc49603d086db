/**
 * Schema of the `staff` and `alerts` sections of the store config (DESIGN §6). Written to be folded
 * into schema.ts (then errors also carry the YAML line); until then the alerts service validates the
 * sections at start with `parseAlertsConfig`, and errors name the key path.
 */
import { z } from 'zod'
import type { StoreConfig } from './schema.ts'

const areas = ['fresh', 'frozen', 'shelves', 'lockers', 'devices', 'system'] as const
const area = z.enum(areas)
const severity = z.enum(['info', 'warning', 'critical'])
const hhmm = z.string().regex(/^([01]?\d|2[0-3]):[0-5]\d$/, 'must be a time "HH:MM" (24 h)')
const name = z.string().min(1).max(64)
const url = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })

/** Routing facts every channel may carry (gateway/alerts/types.ts ChannelRoute). */
const route = {
  name: name.optional(),
  roles: z.array(z.string().min(1)).optional(),
  areas: z.array(area).optional(),
  /** Reached only through a staff member's `channels`. */
  personal: z.boolean().optional(),
  timeoutMs: z.number().int().positive().optional(),
}

const channel = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('wecom'), key: z.string().min(1), baseUrl: url.optional(), format: z.enum(['markdown', 'text']).optional(), ...route }),
  z.strictObject({ type: z.literal('ntfy'), url, token: z.string().min(1).optional(), ...route }),
  z.strictObject({ type: z.literal('dingtalk'), accessToken: z.string().min(1), secret: z.string().min(1).optional(), baseUrl: url.optional(), format: z.enum(['markdown', 'text']).optional(), ...route }),
  z.strictObject({ type: z.literal('feishu'), hookId: z.string().min(1), secret: z.string().min(1).optional(), baseUrl: url.optional(), ...route }),
  z.strictObject({ type: z.literal('telegram'), botToken: z.string().min(1), chatId: z.union([z.string().min(1), z.number()]), group: z.boolean().optional(), parseMode: z.literal('HTML').optional(), baseUrl: url.optional(), ...route }),
  z.strictObject({ type: z.literal('webhook'), url, secret: z.string().min(8, 'must be at least 8 characters').optional(), ...route }),
])

export const staffMemberSchema = z.strictObject({
  name,
  role: z.string().min(1),
  /** Mobile number for @-mentions in group robots on escalation. */
  phone: z.string().regex(/^\+?\d{5,15}$/, 'must be a phone number, digits with an optional leading +').optional(),
  areas: z.array(area).optional(),
  /** Personal channels (names from alerts.channels with `personal: true`). */
  channels: z.array(name).optional(),
  /** Staff page login; both or neither. */
  username: z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'must be 1–64 letters, digits, "_", ".", "@" or "-"').optional(),
  passwordHash: z.string().regex(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/, 'must be a scrypt hash (make one with: shelfgate staff hash-password)').optional(),
}).refine((s) => (s.username === undefined) === (s.passwordHash === undefined), { message: 'username and passwordHash go together', path: ['passwordHash'] })

export const alertsSectionSchema = z.strictObject({
  quietHours: z.strictObject({ from: hhmm, to: hhmm, except: z.array(severity).default(['critical']) }).optional(),
  escalation: z
    .strictObject({
      criticalUnackedMin: z.number().positive().default(10),
      /** The next role up the ladder from `staff`. */
      to: z.string().min(1).default('manager'),
      renotifyMin: z.number().positive().default(15),
    })
    .default({ criticalUnackedMin: 10, to: 'manager', renotifyMin: 15 }),
  /** Roles that get every alert (a small store's manager). */
  copyRoles: z.array(z.string().min(1)).default([]),
  channels: z.array(channel).default([]),
  /** Base URL of the staff page in message links, e.g. http://shelfgate.local:8080 (default: the HTTP listener). */
  staffPageUrl: url.optional(),
  notifyResolved: z.boolean().default(true),
  /** Staff page sessions expire after this many hours. */
  sessionHours: z.number().positive().max(24 * 30).default(12),
})

export const staffSectionSchema = z.array(staffMemberSchema)

export type AlertsSection = z.infer<typeof alertsSectionSchema>
export type ChannelConfig = AlertsSection['channels'][number]
export type StaffMemberConfig = z.infer<typeof staffMemberSchema>

export interface AlertsConfig {
  alerts: AlertsSection
  staff: StaffMemberConfig[]
  /** Channel names after defaults (`type`, or `type-N` when a type repeats), index-aligned with alerts.channels. */
  channelNames: string[]
}

/** Validates `alerts` and `staff`; throws one Error listing every problem as `key.path: message`. */
export function parseAlertsConfig(config: Pick<StoreConfig, 'alerts' | 'staff'>): AlertsConfig {
  const problems: string[] = []
  const a = alertsSectionSchema.safeParse(config.alerts ?? {})
  const s = staffSectionSchema.safeParse(config.staff ?? [])
  for (const [root, r] of [['alerts', a], ['staff', s]] as const) {
    if (!r.success) for (const i of r.error.issues) problems.push(`${formatPath([root, ...(i.path as (string | number)[])])}: ${i.message}`)
  }
  if (!a.success || !s.success) throw new Error(`invalid store config:\n${problems.join('\n')}`)
  const channelNames = namesOf(a.data.channels)
  const known = new Set(channelNames)
  const seen = new Map<string, number>()
  channelNames.forEach((n, i) => {
    if (seen.has(n)) problems.push(`alerts.channels[${i}].name: "${n}" is already used by alerts.channels[${seen.get(n)}]`)
    seen.set(n, i)
  })
  s.data.forEach((m, i) => {
    m.channels?.forEach((c, j) => {
      if (!known.has(c)) problems.push(`staff[${i}].channels[${j}]: no channel named "${c}" in alerts.channels`)
    })
  })
  const users = new Map<string, number>()
  s.data.forEach((m, i) => {
    if (m.username === undefined) return
    if (users.has(m.username)) problems.push(`staff[${i}].username: "${m.username}" is already used by staff[${users.get(m.username)}]`)
    users.set(m.username, i)
  })
  if (problems.length > 0) throw new Error(`invalid store config:\n${problems.join('\n')}`)
  return { alerts: a.data, staff: s.data, channelNames }
}

// Same format as load.ts (imported from there it would make an import cycle once schema.ts uses this file).
function formatPath(path: readonly (string | number)[]): string {
  let s = ''
  for (const k of path) s += typeof k === 'number' ? `[${k}]` : s ? `.${k}` : k
  return s
}

function namesOf(channels: ChannelConfig[]): string[] {
  const count = new Map<string, number>()
  for (const c of channels) count.set(c.type, (count.get(c.type) ?? 0) + 1)
  const n = new Map<string, number>()
  return channels.map((c) => {
    if (c.name) return c.name
    if (count.get(c.type) === 1) return c.type
    const k = (n.get(c.type) ?? 0) + 1
    n.set(c.type, k)
    return `${c.type}-${k}`
  })
}
