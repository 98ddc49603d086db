/**
 * The shapes aedes hands its persistence. aedes types its `persistence` option as `any`, so these
 * are ours: only the fields this store reads, everything else carried through untouched.
 */

export interface StoredPacket {
  cmd?: string
  topic?: string
  payload?: Buffer | string
  qos?: number
  retain?: boolean
  messageId?: number
  brokerId?: string | null
  brokerCounter?: number
  clientId?: string
  [field: string]: unknown
}

export interface ClientRef {
  readonly id: string
}

/** A subscription as aedes passes it (3.1.1 plus the MQTT 5 options aedes-persistence keeps). */
export interface SubscriptionIn {
  topic: string
  qos: number
  rh?: number
  rap?: boolean | number
  nl?: boolean | number
  subscriptionIdentifier?: number
}

/** What the store needs of the broker: its id (wills are stamped with it) and its packet counter. */
export interface BrokerRef {
  id: string
  counter?: number
}
