import { describe, expect, it } from 'vitest'
import { classDefaults, resolveColdUnit } from '../../devices/cold/limits.ts'

describe('cold unit limits', () => {
  it('holds chilled food at 5 °C, frozen at −18 °C and lets frozen display cases rise briefly to −12 °C', () => {
    expect(classDefaults.chilled.maxC).toBe(5)
    expect(classDefaults.frozen.maxC).toBe(-18)
    expect(classDefaults['frozen-display'].hardMaxC).toBe(-12)
  })

  it('applies per-unit overrides on top of the class defaults', () => {
    const r = resolveColdUnit({ id: 'F1', name: 'Milk', class: 'chilled', limits: { maxC: 4, warningMin: 20 } })
    expect(r.ok && [r.unit.limits.maxC, r.unit.limits.warningMin, r.unit.limits.alarmMin]).toEqual([4, 20, 30])
  })

  it('names the key and what it expects when an override is wrong', () => {
    const r = resolveColdUnit({ id: 'F1', name: 'Milk', class: 'chilled', limits: { maxTemp: 4, hardMaxC: 3 } })
    expect(r.ok ? [] : r.errors).toEqual([
      expect.stringMatching(/^coldUnits\[F1\]\.limits\.maxTemp is not a known limit \(known: maxC, hardMaxC/),
      'coldUnits[F1].limits.hardMaxC (3) must be above maxC (5)',
    ])
  })
})
