/**
 * Who hears about an alert, and on which channels. Pure.
 *
 * - The escalation ladder lists roles in order (default staff → manager). Level 0 goes to the first role,
 *   filtered by area; each escalation adds the next role.
 * - `copyRoles` (default: manager) receive every alert at every level: in a small store the manager wants
 *   to see everything, and escalation then tells them that nobody has acted.
 * - If nobody at the current level covers the area, the next role up is used, so an alert never goes
 *   to nobody.
 */
import type { Area } from '../contract/conditions.ts'
import type { ChannelRoute, NotificationIntent, Role, StaffMember } from './types.ts'

export interface RoutingConfig {
  staff: StaffMember[]
  channels: ChannelRoute[]
  ladder: Role[]
  copyRoles: Role[]
}

type Recipient = NotificationIntent['recipients'][number]

function covers(member: StaffMember, area: Area): boolean {
  return member.areas === undefined || member.areas.includes(area)
}

export function recipientsFor(cfg: RoutingConfig, area: Area, level: number): Recipient[] {
  const chosen = new Map<string, StaffMember>()
  for (let i = 0; i < cfg.ladder.length; i++) {
    // Past the current level, keep climbing only while nobody has been found.
    if (i > level && chosen.size > 0) break
    for (const m of cfg.staff) if (m.role === cfg.ladder[i] && covers(m, area)) chosen.set(m.id, m)
  }
  for (const m of cfg.staff) if (cfg.copyRoles.includes(m.role) && covers(m, area)) chosen.set(m.id, m)
  return [...chosen.values()].map((m) => ({ id: m.id, name: m.name, role: m.role, mobile: m.mobile }))
}

/** Escalation only: the members of the role at `level`, who have not been told before. */
export function escalationTargets(cfg: RoutingConfig, area: Area, level: number): Recipient[] {
  const role = cfg.ladder[level]
  return cfg.staff
    .filter((m) => m.role === role && covers(m, area))
    .map((m) => ({ id: m.id, name: m.name, role: m.role, mobile: m.mobile }))
}

export function channelsFor(cfg: RoutingConfig, area: Area, recipients: Recipient[]): string[] {
  const names = new Set<string>()
  const roles = new Set(recipients.map((r) => r.role))
  for (const ch of cfg.channels) {
    if (ch.personal) continue
    if (ch.areas && !ch.areas.includes(area)) continue
    if (ch.roles && !ch.roles.some((r) => roles.has(r))) continue
    names.add(ch.name)
  }
  for (const r of recipients) {
    const member = cfg.staff.find((m) => m.id === r.id)
    for (const c of member?.channels ?? []) names.add(c)
  }
  return [...names]
}
