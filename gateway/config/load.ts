/**
 * Loads the store config once at start: YAML → ${ENV} substitution → schema → cross-checks.
 * Every problem is reported as `file:line: key.path: what is expected (got ...)` so an installer can
 * fix it without reading code.
 */
import { readFileSync } from 'node:fs'
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml'
import type { z } from 'zod'
import { configSchema, type StoreConfig } from './schema.ts'
import { deviceRegistry, type RegistryProblem } from './devices.ts'

export interface ConfigProblem {
  line?: number
  col?: number
  path: string
  message: string
}

export class ConfigError extends Error {
  readonly file: string
  readonly problems: ConfigProblem[]
  constructor(file: string, problems: ConfigProblem[]) {
    super(problems.map((p) => formatProblem(file, p)).join('\n'))
    this.name = 'ConfigError'
    this.file = file
    this.problems = problems
  }
}

export function formatProblem(file: string, p: ConfigProblem): string {
  const where = p.line ? `${file}:${p.line}` : file
  return p.path ? `${where}: ${p.path}: ${p.message}` : `${where}: ${p.message}`
}

type PathKey = string | number

export function formatPath(path: readonly PathKey[]): string {
  let s = ''
  for (const k of path) s += typeof k === 'number' ? `[${k}]` : s ? `.${k}` : k
  return s
}

/** The line of the deepest node that exists along `path` (a missing key points at its parent). */
function lineOf(doc: Document, lc: LineCounter, path: readonly PathKey[]): { line: number; col: number } | undefined {
  for (let n = path.length; n >= 0; n--) {
    const parentPath = path.slice(0, Math.max(0, n - 1))
    const parent = parentPath.length ? doc.getIn(parentPath, true) : doc.contents
    if (n > 0 && isMap(parent)) {
      // Point at the key itself: that is the line an installer looks for.
      const pair = parent.items.find((it) => isScalar(it.key) && it.key.value === path[n - 1])
      const range = (pair?.key as Node | undefined)?.range
      if (range) return lc.linePos(range[0])
    } else if (n > 0 && isSeq(parent)) {
      const item = parent.items[path[n - 1] as number] as Node | undefined
      if (item?.range) return lc.linePos(item.range[0])
    } else if (n === 0 && doc.contents?.range) {
      return lc.linePos(doc.contents.range[0])
    }
  }
  return undefined
}

function describe(value: unknown): string {
  const s = JSON.stringify(value)
  return s === undefined ? String(value) : s.length > 40 ? `${s.slice(0, 37)}...` : s
}

function zodProblem(issue: z.core.$ZodIssue, data: unknown): Omit<ConfigProblem, 'line' | 'col'> {
  const path = issue.path as PathKey[]
  let got: unknown = data
  for (const k of path) got = got === null || typeof got !== 'object' ? undefined : (got as Record<PathKey, unknown>)[k]
  if (issue.code === 'unrecognized_keys') {
    return { path: formatPath(path), message: `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')} (misspelt? see docs/config.md)` }
  }
  if (issue.code === 'invalid_type') {
    if (got === undefined) return { path: formatPath(path), message: `is required (expected ${issue.expected})` }
    return { path: formatPath(path), message: `expected ${issue.expected} (got ${describe(got)})` }
  }
  const gotText = got === undefined || typeof got === 'object' ? '' : ` (got ${describe(got)})`
  const message = issue.message.startsWith('Invalid input') || issue.message.startsWith('Too') ? issue.message.replace(/^Invalid input: /, '') : issue.message
  return { path: formatPath(path), message: `${message}${gotText}` }
}

/**
 * ${NAME} is replaced by the environment variable so secrets stay out of the file. The braces are
 * not valid in a YAML flow map (`{ key: ${WECOM_KEY} }`), so before parsing each reference becomes a
 * placeholder made of plain-scalar characters (same line, so error lines stay right), and after
 * parsing the placeholders are replaced inside the string values.
 */
const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g
const PLACEHOLDER = /__SHELFGATE_ENV_([A-Za-z_][A-Za-z0-9_]*)__/g

function substituteEnv(doc: Document, lc: LineCounter, env: NodeJS.ProcessEnv, problems: ConfigProblem[]): void {
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value !== 'string' || !node.value.includes('__SHELFGATE_ENV_')) return
      node.value = node.value.replace(PLACEHOLDER, (_m, name: string) => {
        const v = env[name]
        if (v === undefined) {
          const pos = node.range ? lc.linePos(node.range[0]) : undefined
          problems.push({ ...pos, path: '', message: `environment variable ${name} is not set (export it, or put it in the service's EnvironmentFile)` })
          return ''
        }
        return v
      })
    },
  })
}

export function parseConfig(text: string, file: string, env: NodeJS.ProcessEnv = process.env): StoreConfig {
  const lc = new LineCounter()
  const doc = parseDocument(text.replace(ENV_REF, '__SHELFGATE_ENV_$1__'), { lineCounter: lc, prettyErrors: false, uniqueKeys: true })
  if (doc.errors.length > 0) {
    // The first error is the cause; the rest are usually its echoes.
    const e = doc.errors[0] as (typeof doc.errors)[number]
    throw new ConfigError(file, [{ ...lc.linePos(e.pos[0]), path: '', message: `YAML: ${e.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}` }])
  }
  const problems: ConfigProblem[] = []
  substituteEnv(doc, lc, env, problems)
  if (problems.length) throw new ConfigError(file, problems)

  const data: unknown = doc.toJS() ?? {}
  const parsed = configSchema.safeParse(data)
  if (!parsed.success) {
    throw new ConfigError(
      file,
      parsed.error.issues.map((issue) => {
        // An unknown key is best shown at the key itself, not at the map that holds it.
        const at = issue.code === 'unrecognized_keys' ? [...(issue.path as PathKey[]), issue.keys[0] as string] : (issue.path as PathKey[])
        return { ...lineOf(doc, lc, at), ...zodProblem(issue, data) }
      }),
    )
  }
  const registry = deviceRegistry(parsed.data)
  if (!registry.ok) {
    throw new ConfigError(file, registry.problems.map((p: RegistryProblem) => ({ ...lineOf(doc, lc, p.path), path: formatPath(p.path), message: p.message })))
  }
  return parsed.data
}

export function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): StoreConfig {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'file not found' : code === 'EACCES' ? 'permission denied (the service user must be able to read it)' : String(err)
    throw new ConfigError(file, [{ path: '', message: why }])
  }
  return parseConfig(text, file, env)
}
