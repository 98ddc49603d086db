/** HMAC-SHA256 helpers for the services that sign webhook calls. */
import { createHmac } from 'node:crypto'

export function hmacSha256(key: string, message: string): Buffer {
  return createHmac('sha256', key).update(message, 'utf8').digest()
}

/** RFC 2047 encoded-word for non-ASCII header values (ntfy decodes these; fetch refuses raw UTF-8). */
export function headerValue(s: string): string {
  return /^[\x20-\x7e]*$/.test(s) ? s : `=?UTF-8?B?${Buffer.from(s, 'utf8').toString('base64')}?=`
}
