import { describe, expect, it } from 'vitest'
import { SerialLineParser, parseLine } from '../../devices/shelf/serialLineProtocol.ts'

const bytes = (s: string) => new TextEncoder().encode(s)

describe('serial line protocol of HX711 boards', () => {
  it('reads "3,-123456" as channel 3, raw −123456', () => {
    expect(new SerialLineParser().push(bytes('3,-123456\n'))).toEqual([{ channel: 3, raw: -123456 }])
  })

  it('joins a line split across chunks at any byte', () => {
    const p = new SerialLineParser()
    const text = '0,8388607\n1,-8388608\n'
    const out = [...text].flatMap((ch) => p.push(bytes(ch)))
    expect(out).toEqual([{ channel: 0, raw: 8388607 }, { channel: 1, raw: -8388608 }])
  })

  it('accepts CRLF, a CR split from its LF, and bare CR line ends', () => {
    const p = new SerialLineParser()
    const out = [...p.push(bytes('1,10\r')), ...p.push(bytes('\n2,20\r\n3,30\r4,40\n'))]
    expect(out.map((r) => r.channel)).toEqual([1, 2, 3, 4])
    expect(p.stats.garbage).toBe(0)
  })

  it('keeps a partial line until its end arrives', () => {
    const p = new SerialLineParser()
    expect(p.push('5,12')).toEqual([])
    expect(p.pending).toBe('5,12')
    expect(p.push('34\n')).toEqual([{ channel: 5, raw: 1234 }])
  })

  it('counts a boot banner and garbled lines as garbage and carries on', () => {
    const p = new SerialLineParser()
    const out = p.push(bytes('HX711 4ch v1.2 ready\n2,,5\n7,12x\n2,500\n'))
    expect(out).toEqual([{ channel: 2, raw: 500 }])
    expect(p.stats).toEqual({ records: 1, garbage: 3, overlong: 0 })
  })

  it('treats bytes from a wrong baud rate as garbage, not as a crash', () => {
    const p = new SerialLineParser()
    const out = p.push(new Uint8Array([0xff, 0xfe, 0x31, 0x2c, 0x35, 0x0a, 0x31, 0x2c, 0x35, 0x0a]))
    expect(out).toEqual([{ channel: 1, raw: 5 }])
    expect(p.stats.garbage).toBe(1)
  })

  it('cuts off an over-long line, skips to the next line end and reads the line after it', () => {
    const p = new SerialLineParser({ maxLineLength: 32 })
    const out = p.push(bytes('1,' + '9'.repeat(200) + '\n4,44\n'))
    expect(out).toEqual([{ channel: 4, raw: 44 }])
    expect(p.stats.overlong).toBe(1)
    expect(p.pending).toBe('')
  })

  it('ignores empty lines and tolerates spaces around the numbers', () => {
    const p = new SerialLineParser()
    expect(p.push('\n\n 6 , +77 \n')).toEqual([{ channel: 6, raw: 77 }])
    expect(p.stats.garbage).toBe(0)
  })

  it('refuses channels above 255 and raw values outside 32 bits', () => {
    expect(parseLine('256,1')).toBeUndefined()
    expect(parseLine('1,4294967296')).toBeUndefined()
    expect(parseLine('1,-2147483648')).toEqual({ channel: 1, raw: -2147483648 })
  })

  it('keeps up with 4 channels at 80 Hz for an hour in one go', () => {
    const p = new SerialLineParser()
    let text = ''
    for (let i = 0; i < 80 * 4 * 3600; i++) text += `${i % 4},${(i * 7919) % 1000000 - 500000}\r\n`
    expect(p.push(text).length).toBe(80 * 4 * 3600)
  })
})
