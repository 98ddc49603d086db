import { describe, expect, it } from 'vitest'
import { scanFlatPayload, type FlatFields } from '../../gateway/contract/flatPayload.ts'
import { seededRandom } from '../../firmware-sim/random.ts'

// The byte scanner stands in for JSON.parse on the hot path. Wherever it answers, it must answer
// exactly what JSON.parse would; where it is unsure it must say so (and JSON.parse decides).
const fresh = (): FlatFields => ({ g: 9, raw: 9, c: 9, seq: 9, ts: 9, probe: 'x' })
const FIELDS = ['g', 'raw', 'c', 'seq', 'ts', 'probe'] as const

function scan(text: string): FlatFields | undefined {
  const out = fresh()
  return scanFlatPayload(Buffer.from(text, 'utf8'), out) ? out : undefined
}

/** What JSON.parse makes of the text, in the scanner's terms; undefined if the scanner must not answer. */
function viaJsonParse(text: string): FlatFields | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return undefined
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined
  const out: FlatFields = { g: undefined, raw: undefined, c: undefined, seq: undefined, ts: undefined, probe: undefined }
  for (const [k, v] of Object.entries(parsed)) {
    if (!(FIELDS as readonly string[]).includes(k)) return undefined
    if (k === 'probe') {
      if (typeof v !== 'string') return undefined
      out.probe = v
    } else if (typeof v === 'number') (out as unknown as Record<string, number>)[k] = v
    else return undefined
  }
  return out
}

const space = (rand: () => number): string => [' ', '', '', '', '\n', '\t', '\r\n', '  '][Math.floor(rand() * 8)] as string

function number(rand: () => number): string {
  const digits = (n: number, first = false) => Array.from({ length: n }, (_, i) => String(i === 0 && first ? 1 + Math.floor(rand() * 9) : Math.floor(rand() * 10))).join('')
  const r = rand()
  if (r < 0.05) return ['1e3', '-2.5E-2', '1e+999', '01', '-', '1.', '.5', '+1', '0x10', 'NaN', '-0', '0', '0.0', '00'][Math.floor(rand() * 14)] as string
  const sign = rand() < 0.3 ? '-' : ''
  const int = rand() < 0.15 ? '0' : digits(1 + Math.floor(rand() * 16), true)
  const frac = rand() < 0.6 ? `.${digits(1 + Math.floor(rand() * 8))}` : ''
  return `${sign}${int}${frac}`
}

function value(key: string, rand: () => number): string {
  const r = rand()
  if (key === 'probe' && r < 0.8) return JSON.stringify(['air', 'product', 'evaporator', 'door', 'Air', ''][Math.floor(rand() * 6)])
  if (r < 0.9) return number(rand)
  return ['"12"', 'null', 'true', '[1]', '{}', '"a\\"b"'][Math.floor(rand() * 6)] as string
}

function payload(rand: () => number): string {
  const keys = ['g', 'raw', 'c', 'seq', 'ts', 'probe', 'other', 'G', 'se\\u0071']
  const n = Math.floor(rand() * 4)
  const pairs = Array.from({ length: n }, () => {
    const key = rand() < 0.9 ? (keys[Math.floor(rand() * 6)] as string) : (keys[6 + Math.floor(rand() * 3)] as string)
    return `${space(rand)}"${key}"${space(rand)}:${space(rand)}${value(key, rand)}${space(rand)}`
  })
  let text = `${space(rand)}{${pairs.join(',')}}${space(rand)}`
  // Now and then a broken one.
  if (rand() < 0.05) text = text.slice(0, Math.floor(rand() * text.length))
  if (rand() < 0.02) text = text.replace('}', ',}')
  return text
}

describe('reading flat payloads from their bytes', () => {
  it('agrees with JSON.parse on every payload it answers, over 200,000 random ones', () => {
    const rand = seededRandom(20261207)
    let answered = 0
    for (let i = 0; i < 200_000; i++) {
      const text = payload(rand)
      const scanned = scan(text)
      if (scanned === undefined) continue
      answered++
      const expected = viaJsonParse(text)
      if (expected === undefined) throw new Error(`answered ${JSON.stringify(text)}, which JSON.parse does not read as a flat payload`)
      for (const k of FIELDS) {
        if (!Object.is(scanned[k], expected[k])) throw new Error(`${JSON.stringify(text)}: ${k} is ${String(scanned[k])}, JSON.parse says ${String(expected[k])}`)
      }
    }
    // Most generated payloads are plain ones: a scanner that gives up on everything would pass the loop above.
    expect(answered).toBeGreaterThan(50_000)
  })

  it('answers the payloads devices actually send', () => {
    expect(scan('{"g":1523.4,"seq":17}')).toEqual({ g: 1523.4, raw: undefined, c: undefined, seq: 17, ts: undefined, probe: undefined })
    expect(scan('{"raw":-8388608}')).toMatchObject({ raw: -8388608 })
    expect(scan('{ "c": -18.25, "probe": "product", "ts": 1765100000000 }')).toMatchObject({ c: -18.25, probe: 'product', ts: 1765100000000 })
    expect(scan('{}')).toEqual({ g: undefined, raw: undefined, c: undefined, seq: undefined, ts: undefined, probe: undefined })
  })

  it('leaves to JSON.parse what it cannot be sure of', () => {
    for (const text of ['{"g":1e3}', '{"g":1,"g":2}', '{"g":12345678901234567}', '{"g":01}', '{"g":1,}', '{"g":"1"}', '{"x":1}', '{"probe":"door"}', '[1]', '{"g":1} x', '\uFEFF{"g":1}']) {
      expect(scan(text), text).toBeUndefined()
    }
  })
})
