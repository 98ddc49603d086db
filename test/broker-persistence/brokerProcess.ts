// A gateway broker on its own, as a child process the end-to-end tests can kill -9 to play a crash
// or a power cut. Usage: node brokerProcess.ts <db path> <broker id>. Prints "listening <port>".
import { startBroker } from './brokerHarness.ts'

const [dbPath, brokerId] = process.argv.slice(2)
if (dbPath === undefined || brokerId === undefined) throw new Error('usage: brokerProcess.ts <db path> <broker id>')
const running = await startBroker({ dbPath, id: brokerId })
process.stdout.write(`listening ${running.port}\n`)
