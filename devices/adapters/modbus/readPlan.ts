/**
 * Which Modbus reads one poll needs: the fields' addresses grouped per table into as few requests as
 * the protocol allows (125 registers / 2000 bits per request), joining neighbours at most `maxGap`
 * unused addresses apart (many controllers answer "illegal address" to a read that spans a hole, so
 * the default joins only contiguous ranges). Then the values are looked up in what came back. Pure.
 */
export type Table = 'holding' | 'input' | 'coil' | 'discrete'

export interface Span {
  table: Table
  address: number
  /** Registers (holding / input) or bits (coil / discrete). */
  count: number
}

export interface Block extends Span {}

const MAX_PER_READ: Record<Table, number> = { holding: 125, input: 125, coil: 2000, discrete: 2000 }

export function planReads(spans: readonly Span[], maxGap = 0): Block[] {
  const blocks: Block[] = []
  for (const table of ['holding', 'input', 'coil', 'discrete'] as const) {
    const mine = spans.filter((s) => s.table === table).sort((a, b) => a.address - b.address)
    let cur: Block | undefined
    for (const s of mine) {
      const end = s.address + s.count
      if (cur && s.address <= cur.address + cur.count + maxGap && end - cur.address <= MAX_PER_READ[table]) {
        cur.count = Math.max(cur.count, end - cur.address)
        continue
      }
      cur = { table, address: s.address, count: s.count }
      blocks.push(cur)
    }
  }
  return blocks
}

/** Results of one poll: per block, register words or bits, in block order. */
export type BlockData = (number[] | boolean[])[]

/** The words (or bits) of a span, from the block that contains it. */
export function lookup(blocks: readonly Block[], data: BlockData, span: Span): (number | boolean)[] {
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i] as Block
    if (b.table !== span.table || span.address < b.address || span.address + span.count > b.address + b.count) continue
    const d = data[i] as (number | boolean)[]
    return d.slice(span.address - b.address, span.address - b.address + span.count)
  }
  throw new Error(`no read covers ${span.table} ${span.address}+${span.count}`)
}
