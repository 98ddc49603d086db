import { decodeDoc } from './packetCodec.ts'
import { all } from './sqliteFile.ts'
import type { Db } from './sqliteFile.ts'
import type { StoredPacket, SubscriptionIn } from './types.ts'

export interface StoredState {
  readonly retained: StoredPacket[]
  readonly subscriptions: Map<string, SubscriptionIn[]>
  readonly incoming: { clientId: string; packet: StoredPacket }[]
  /** In enqueue order. */
  readonly outgoing: { id: number; clientId: string; packet: StoredPacket }[]
  readonly wills: { clientId: string; packet: StoredPacket }[]
}

/** Reads everything a previous run of the broker left behind. */
export async function loadStore(db: Db): Promise<StoredState> {
  const retained = await all<{ packet: string }>(db, 'SELECT packet FROM retained')
  const subs = await all<{ client_id: string; topic: string; sub: string }>(
    db,
    'SELECT client_id, topic, sub FROM subscriptions ORDER BY client_id',
  )
  const incoming = await all<{ client_id: string; packet: string }>(db, 'SELECT client_id, packet FROM incoming')
  const outgoing = await all<{ id: number; client_id: string; packet: string }>(
    db,
    'SELECT id, client_id, packet FROM outgoing ORDER BY id',
  )
  const wills = await all<{ client_id: string; packet: string }>(db, 'SELECT client_id, packet FROM wills')

  const subscriptions = new Map<string, SubscriptionIn[]>()
  for (const row of subs) {
    const list = subscriptions.get(row.client_id) ?? []
    list.push({ ...decodeDoc<Omit<SubscriptionIn, 'topic'>>(row.sub), topic: row.topic })
    subscriptions.set(row.client_id, list)
  }
  return {
    retained: retained.map((row) => decodeDoc<StoredPacket>(row.packet)),
    subscriptions,
    incoming: incoming.map((row) => ({ clientId: row.client_id, packet: decodeDoc<StoredPacket>(row.packet) })),
    outgoing: outgoing.map((row) => ({ id: row.id, clientId: row.client_id, packet: decodeDoc<StoredPacket>(row.packet) })),
    wills: wills.map((row) => ({ clientId: row.client_id, packet: decodeDoc<StoredPacket>(row.packet) })),
  }
}
