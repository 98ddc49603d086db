/** The shelfgate-order Node-RED node against a real gateway (lockers + staff services), as the 'ops' service account. */
import { createRequire } from 'node:module'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createLockersService } from '../../gateway/lockers/service.ts'
import { staffService } from '../../gateway/staff/service.ts'
import { startStaffHarness, type StaffHarness } from '../staff/staffHarness.ts'

const require = createRequire(import.meta.url)

interface TestNode {
  receive(msg: unknown): void
  on(event: string, fn: (arg: never) => void): void
}
interface Helper {
  init(runtimePath: string, settings?: object): void
  startServer(done: (err?: unknown) => void): void
  stopServer(done: (err?: unknown) => void): void
  load(nodes: unknown[], flow: object[], credentials: object): Promise<void>
  unload(): Promise<void>
  getNode(id: string): TestNode
}
const helper = require('node-red-node-test-helper') as Helper
const nodes = [require('../../flows/nodes/shelfgate-gateway.js'), require('../../flows/nodes/shelfgate-order.js')]
helper.init(require.resolve('node-red'))

let sh: StaffHarness | undefined
beforeAll(() => new Promise<void>((resolve, reject) => helper.startServer((err) => (err ? reject(err) : resolve()))))
afterAll(() => new Promise<void>((resolve, reject) => helper.stopServer((err) => (err ? reject(err) : resolve()))))
afterEach(async () => {
  await helper.unload()
  await sh?.stop()
  sh = undefined
})

async function loadFlow(): Promise<{ order: TestNode; out: TestNode }> {
  sh = await startStaffHarness({ services: [createLockersService({ tickMs: 50 }), staffService] })
  const flow = [
    { id: 'gw', type: 'shelfgate-gateway', url: sh.base },
    { id: 'order', type: 'shelfgate-order', gateway: 'gw', locker: 'K1', wires: [['out']] },
    { id: 'out', type: 'helper' },
  ]
  await helper.load(nodes, flow, { gw: { username: 'ops', password: sh.h.passwords.ops } })
  return { order: helper.getNode('order'), out: helper.getNode('out') }
}

/** Resolves with the first event's argument, or rejects after 5 s. */
const next = <T>(node: TestNode, event: string): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within 5 s`)), 5000)
    node.on(event, (arg: never) => {
      clearTimeout(timer)
      resolve(arg as T)
    })
  })

describe('shelfgate-order node', () => {
  it('assigns an injected order and sends the slot and the 6-digit pickup code', async () => {
    const { order, out } = await loadFlow()
    const got = next<{ payload: { slot: number; code: string } }>(out, 'input')
    order.receive({ payload: { orderId: 'GB-3001', tempClass: 'ambient' } })
    const msg = await got
    expect(msg.payload.slot).toBeGreaterThan(0)
    expect(msg.payload.code).toMatch(/^\d{6}$/)
  })

  it('reports an unknown locker as an error (done(err)) with the gateway message', async () => {
    const { order } = await loadFlow()
    const failed = next<{ firstArg: unknown; args: unknown[] }>(order, 'call:error')
    order.receive({ payload: { locker: 'NOPE', orderId: 'GB-3002', tempClass: 'ambient' } })
    const call = await failed
    expect(String(call.firstArg)).toMatch(/404.*no locker "NOPE" is configured/)
  })
})
