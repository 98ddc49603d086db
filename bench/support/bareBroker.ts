/**
 * Baseline for bench/ingest.ts: aedes exactly as it ships (no hooks, in-memory persistence, no
 * storage), on a TCP port. Prints "listening PORT" and runs until killed.
 */
import { Aedes } from 'aedes'
import { createServer, type AddressInfo } from 'node:net'

const broker = await Aedes.createBroker({ drainTimeout: 10_000 })
const server = createServer((s) => broker.handle(s))
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  console.log(`listening ${(server.address() as AddressInfo).port}`)
})
process.on('SIGTERM', () => server.close(() => broker.close(() => process.exit(0))))
