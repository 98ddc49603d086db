/**
 * Staff page sessions, in memory: a random token in an HttpOnly, SameSite=Strict cookie, a per-session
 * CSRF token that state-changing requests must echo in `X-CSRF-Token`, and an absolute expiry.
 * A gateway restart logs everybody out, which is acceptable for a shop-floor page.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

export interface StaffAccount {
  username: string
  name: string
  role: string
  passwordHash: string
}

export interface Session {
  username: string
  name: string
  role: string
  csrf: string
  expiresAt: number
}

export const SESSION_COOKIE = 'sg_session'

const digest = (token: string): string => createHash('sha256').update(token).digest('base64url')

export class Sessions {
  // Keyed by a hash of the token: a heap dump does not hand out live sessions.
  readonly #byDigest = new Map<string, Session>()
  readonly #ttlMs: number
  readonly #now: () => number

  constructor(ttlMs: number, now: () => number = Date.now) {
    this.#ttlMs = ttlMs
    this.#now = now
  }

  get ttlMs(): number {
    return this.#ttlMs
  }

  create(account: Pick<StaffAccount, 'username' | 'name' | 'role'>): { token: string; session: Session } {
    this.#prune()
    const token = randomBytes(32).toString('base64url')
    const session: Session = { username: account.username, name: account.name, role: account.role, csrf: randomBytes(24).toString('base64url'), expiresAt: this.#now() + this.#ttlMs }
    this.#byDigest.set(digest(token), session)
    return { token, session }
  }

  get(token: string | undefined): Session | undefined {
    if (!token) return undefined
    const s = this.#byDigest.get(digest(token))
    if (!s) return undefined
    if (s.expiresAt <= this.#now()) {
      this.#byDigest.delete(digest(token))
      return undefined
    }
    return s
  }

  destroy(token: string | undefined): void {
    if (token) this.#byDigest.delete(digest(token))
  }

  /** Forget sessions of accounts no longer configured (or whose role changed). */
  clear(): void {
    this.#byDigest.clear()
  }

  #prune(): void {
    const now = this.#now()
    for (const [k, s] of this.#byDigest) if (s.expiresAt <= now) this.#byDigest.delete(k)
  }
}

export function csrfMatches(session: Session, header: unknown): boolean {
  if (typeof header !== 'string') return false
  const a = Buffer.from(session.csrf)
  const b = Buffer.from(header)
  return a.length === b.length && timingSafeEqual(a, b)
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=')
    if (i <= 0) continue
    const k = part.slice(0, i).trim()
    try {
      out[k] = decodeURIComponent(part.slice(i + 1).trim())
    } catch {
      // a malformed cookie is ignored, not fatal
    }
  }
  return out
}

export function sessionCookie(token: string, maxAgeS: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}${secure ? '; Secure' : ''}`
}

export function clearedCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`
}
