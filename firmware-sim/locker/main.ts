/**
 * Runs simulated lock boards on a serial port, for demos and bench work:
 *
 *   socat -d -d pty,raw,echo=0,link=/tmp/lockers-gw pty,raw,echo=0,link=/tmp/lockers-sim &
 *   npx node firmware-sim/locker/main.ts --path /tmp/lockers-sim --boards 1,2 --close-after 5000
 *
 * then point the gateway's lock-board bus at /tmp/lockers-gw. `--close-after 0` leaves doors open.
 */
import { parseArgs } from 'node:util'
import { systemClock } from '../../gateway/core/clock.ts'
import { LockBoardEmulator } from './lockBoardEmulator.ts'
import { LockBoardSim } from './lockBoardSim.ts'

const { values } = parseArgs({
  options: {
    path: { type: 'string' },
    boards: { type: 'string', default: '1' },
    'close-after': { type: 'string', default: '5000' },
    'reply-delay': { type: 'string', default: '5' },
  },
})
if (!values.path) {
  console.error('usage: main.ts --path <serial port> [--boards 1,2] [--close-after ms (0 = stay open)] [--reply-delay ms]')
  process.exit(2)
}
const boards = values.boards.split(',').map((b) => Number(b.trim()))
if (boards.some((b) => !Number.isInteger(b) || b < 0 || b > 255)) {
  console.error(`--boards must be a comma-separated list of addresses 0..255 (got "${values.boards}")`)
  process.exit(2)
}
const closeAfter = Number(values['close-after'])
const sim = new LockBoardSim({ clock: systemClock, boards, closeAfterMs: closeAfter > 0 ? closeAfter : null })
const emulator = new LockBoardEmulator({ path: values.path, sim, replyDelayMs: Number(values['reply-delay']) })
await emulator.start()
console.log(`lock boards ${boards.join(', ')} (24 locks each) answering on ${values.path}`)
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    void emulator.stop().then(() => process.exit(0))
  })
}
