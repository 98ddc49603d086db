/**
 * A connected pair of pseudo-terminals from socat, for serial tests without hardware: whatever is
 * written to one end comes out of the other, and a SerialPort opens either end like a USB adapter.
 *
 *   const pair = await openPtyPair()
 *   // gateway side opens pair.a, the simulated device opens pair.b
 *   await pair.close()   // kills socat: both ends vanish, as if the adapter were unplugged
 *
 * With `links`, socat also creates symlinks at fixed paths, so a test can "unplug" (close) and
 * "replug" (open again with the same links) and the driver finds its port at the same path again.
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'

export interface PtyPair {
  /** Path of the first end (the link when `links` was given, else /dev/pts/N). */
  a: string
  /** Path of the second end. */
  b: string
  /** Kills socat and resolves once it has exited (both ends are gone then). */
  close(): Promise<void>
}

export interface PtyPairOptions {
  /** Stable symlink paths for the two ends. */
  links?: [string, string]
  /** Give up if socat has not reported both ptys by then (default 5 s). */
  timeoutMs?: number
}

export function openPtyPair(opts: PtyPairOptions = {}): Promise<PtyPair> {
  const ends = opts.links
    ? opts.links.map((l) => `pty,raw,echo=0,link=${l}`)
    : ['pty,raw,echo=0', 'pty,raw,echo=0']
  const child = spawn('socat', ['-d', '-d', ...ends], { stdio: ['ignore', 'ignore', 'pipe'] })
  return new Promise<PtyPair>((resolve, reject) => {
    let stderr = ''
    let settled = false
    let seen = false
    const timer = setTimeout(() => fail(new Error(`socat did not report two ptys in time:\n${stderr}`)), opts.timeoutMs ?? 5000)
    const fail = (err: Error): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(err)
    }
    child.on('error', (err) => fail(new Error(`cannot start socat: install it with "apt-get install socat" (${err.message})`)))
    child.on('exit', (code) => fail(new Error(`socat exited early (code ${code}):\n${stderr}`)))
    child.stderr?.setEncoding('utf8')
    child.stderr?.on('data', (chunk: string) => {
      stderr += chunk
      // socat -d -d logs "N PTY is /dev/pts/7" once per end before it starts transferring.
      const found = [...stderr.matchAll(/PTY is (\S+)/g)].map((m) => m[1] as string)
      if (settled || found.length < 2 || seen) return
      seen = true
      const [a, b] = opts.links ?? (found as [string, string])
      // socat logs the pty before it creates the symlink: wait until both links are there.
      const ready = (): void => {
        if (settled) return
        if (opts.links && !(existsSync(a) && existsSync(b))) {
          setTimeout(ready, 5)
          return
        }
        settled = true
        clearTimeout(timer)
        resolve({ a, b, close: () => stopSocat(child) })
      }
      ready()
    })
  })
}

function stopSocat(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 2000)
    child.once('exit', () => {
      clearTimeout(force)
      resolve()
    })
    child.kill('SIGTERM')
  })
}
