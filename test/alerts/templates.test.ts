import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { coldRules } from '../../devices/cold/coldConditions.ts'
import { templates } from '../../gateway/alerts/templates.ts'

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : []
  })
}

/** Message keys written literally in the rules: `key: 'x.y'` and changeFor(ctx, id, severity, 'x.y'). */
function emittedKeys(): Set<string> {
  const keys = new Set<string>(Object.values(coldRules))
  for (const f of [...files('gateway/rules'), ...files('gateway/ingest'), ...files('devices')]) {
    const src = readFileSync(f, 'utf8')
    for (const m of src.matchAll(/key: '([a-z]+\.[a-z_.]+)'/g)) keys.add(m[1]!)
    for (const m of src.matchAll(/changeFor\(ctx, this\.id, '\w+', '([a-z_.]+)'\)/g)) keys.add(m[1]!)
  }
  return keys
}

describe('alert message templates', () => {
  it('have a zh-CN and an English sentence for every message key the rules emit', () => {
    const keys = [...emittedKeys()]
    expect(keys.length).toBeGreaterThan(20)
    const missing = keys.filter((k) => !templates[k]?.['zh-CN'] || !templates[k]?.en)
    expect(missing).toEqual([])
  })
})
