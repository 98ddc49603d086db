import { MemoryOutbox } from '../../gateway/alerts/delivery/outbox.ts'
import { MemoryAlertStore } from '../../gateway/alerts/store.ts'
import { alertStoreContract, outboxContract } from './contracts.ts'

alertStoreContract('in memory', async () => new MemoryAlertStore())
outboxContract('in memory', async () => new MemoryOutbox())
