/** Runs the real `shelfgate gateway` CLI as a child process, for crash, restart and end-to-end tests. */
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

export interface GatewayProcess {
  child: ChildProcess
  output(): string
  /** SIGKILL: no flush, no goodbye, like a power cut for the process. */
  kill9(): Promise<void>
  stop(): Promise<number | null>
}

export async function startGatewayProcess(configFile: string, httpPort: number, timeoutMs = 15_000): Promise<GatewayProcess> {
  const child = spawn(process.execPath, ['gateway/cli/main.ts', 'gateway', '--config', configFile], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout?.on('data', (d) => (out += d))
  child.stderr?.on('data', (d) => (out += d))
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (child.exitCode !== null) throw new Error(`gateway exited with ${child.exitCode} during start:\n${out}`)
    const ok = await fetch(`http://127.0.0.1:${httpPort}/healthz`).then((r) => r.ok, () => false)
    if (ok) break
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`gateway not healthy within ${timeoutMs} ms:\n${out}`)
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  return {
    child,
    output: () => out,
    async kill9() {
      child.kill('SIGKILL')
      await exited
    },
    async stop() {
      child.kill('SIGTERM')
      return exited
    },
  }
}
