import { describe, expect, it } from 'vitest'
import { decodeRaw, scaled } from '../../devices/adapters/modbus/registerDecode.ts'
import { lookup, planReads } from '../../devices/adapters/modbus/readPlan.ts'

describe('Modbus register decoding', () => {
  it('reads int16 as two’s complement and uint16 as is', () => {
    expect(decodeRaw([0xffce], 'int16')).toBe(-50)
    expect(decodeRaw([0xffce], 'uint16')).toBe(65486)
  })

  it('reads a signed 32-bit weight high word first and word-swapped', () => {
    // −123456 = 0xFFFE1DC0
    expect(decodeRaw([0xfffe, 0x1dc0], 'int32', 'high-first')).toBe(-123456)
    expect(decodeRaw([0x1dc0, 0xfffe], 'int32', 'low-first')).toBe(-123456)
    expect(decodeRaw([0xfffe, 0x1dc0], 'uint32', 'high-first')).toBe(0xfffe1dc0)
  })

  it('reads float32 in both word orders', () => {
    // 12.5 = 0x41480000
    expect(decodeRaw([0x4148, 0x0000], 'float32', 'high-first')).toBe(12.5)
    expect(decodeRaw([0x0000, 0x4148], 'float32', 'low-first')).toBe(12.5)
  })

  it('applies scale and offset without binary noise', () => {
    expect(scaled(37, 0.1, 0)).toBe(3.7)
    expect(scaled(-185, 0.1, 0)).toBe(-18.5)
    expect(scaled(1500, 0.001, -0.5)).toBe(1)
  })
})

describe('read planning', () => {
  it('joins contiguous registers into one read and keeps tables apart', () => {
    const blocks = planReads([
      { table: 'holding', address: 257, count: 1 },
      { table: 'holding', address: 256, count: 1 },
      { table: 'holding', address: 300, count: 1 },
      { table: 'coil', address: 5, count: 1 },
    ])
    expect(blocks).toEqual([
      { table: 'holding', address: 256, count: 2 },
      { table: 'holding', address: 300, count: 1 },
      { table: 'coil', address: 5, count: 1 },
    ])
  })

  it('bridges small gaps only when allowed, and never beyond 125 registers per read', () => {
    const spans = [
      { table: 'input' as const, address: 0, count: 2 },
      { table: 'input' as const, address: 4, count: 2 },
      { table: 'input' as const, address: 124, count: 2 },
    ]
    expect(planReads(spans, 0)).toHaveLength(3)
    expect(planReads(spans, 2)).toEqual([
      { table: 'input', address: 0, count: 6 },
      { table: 'input', address: 124, count: 2 },
    ])
  })

  it('finds a value inside the block that holds it', () => {
    const blocks = planReads([{ table: 'holding', address: 10, count: 4 }])
    expect(lookup(blocks, [[1, 2, 3, 4]], { table: 'holding', address: 12, count: 2 })).toEqual([3, 4])
  })
})
