import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net')
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

describe('shelfgate demo', () => {
  it('serves readings from shelves, cold units and lockers on /metrics within 15 s, reports healthy, and stops on Ctrl-C', async () => {
    const http = await freePort()
    const child = spawn(process.execPath, ['gateway/cli/main.ts', 'demo', '--mqtt-port', '0', '--http-port', String(http), '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
    try {
      const deadline = Date.now() + 15_000
      let metrics = ''
      let kinds: string[] = []
      while (Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250))
        metrics = await fetch(`http://127.0.0.1:${http}/metrics`).then((r) => r.text(), () => '')
        kinds = ['shelf.weight', 'cold.temp', 'locker.event'].filter((k) => new RegExp(`shelfgate_readings_total\\{kind="${k.replace('.', '\\.')}"\\} [1-9]`).test(metrics))
        if (kinds.length === 3) break
      }
      expect(kinds, output).toEqual(['shelf.weight', 'cold.temp', 'locker.event'])
      const health = await fetch(`http://127.0.0.1:${http}/healthz`)
      expect(health.status).toBe(200)
      expect(await health.json()).toMatchObject({ status: 'ok', broker: { up: true } })
      expect(output).toContain(`http://127.0.0.1:${http}/healthz`)
    } finally {
      child.kill('SIGINT')
    }
    expect(await exited).toBe(0)
  }, 30_000)
})
