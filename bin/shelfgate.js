#!/usr/bin/env node
// Entry shim for the `shelfgate` bin: the CLI is TypeScript that Node 24 runs directly (type
// stripping). On an older Node, say what to do instead of failing with a syntax error.
const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(`shelfgate needs Node.js >= 22.12 (this is ${process.version}). Run it through npm (npm run shelfgate -- ...), which uses the Node pinned in devDependencies.`)
  process.exit(2)
}
if (!process.features.typescript) {
  const { spawnSync } = await import('node:child_process')
  const r = spawnSync(process.execPath, ['--experimental-strip-types', '--no-warnings', new URL('../gateway/cli/main.ts', import.meta.url).pathname, ...process.argv.slice(2)], { stdio: 'inherit' })
  process.exit(r.status ?? 1)
}
await import('../gateway/cli/main.ts')
