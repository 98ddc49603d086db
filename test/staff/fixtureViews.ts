/** A stand-in service offering shelf, cold and locker views, so the staff page has something to show. */
import type { GatewayService } from '../../gateway/core/service.ts'

export function fixtureViewsService(now = Date.now()): GatewayService {
  return {
    name: 'fixture-views',
    start(ctx) {
      ctx.shared.shelves = {
        lanes: () => [
          { shelf: 'A1', lane: 'L1', name: '纯牛奶 250ml', capacity: 24, restockAt: 6, count: 4, stable: true, lowStock: true, outOfStock: false, misplaced: false, predictedEmptyAt: now + 40 * 60_000 },
          { shelf: 'A1', lane: 'L2', name: '鲜鸡蛋 10枚', capacity: 8, restockAt: 2, count: 7, stable: true, lowStock: false, outOfStock: false, misplaced: false },
          { shelf: 'B1', lane: 'L1', name: '矿泉水 550ml', capacity: 12, restockAt: 3, count: 0, stable: true, lowStock: true, outOfStock: true, misplaced: false },
        ],
      }
      ctx.shared.cold = {
        units: () => [{ id: 'F1', name: '乳品冷柜', class: 'chilled', area: 'fresh', limitC: 5, tempC: 3.6, doorOpen: false, defrost: false, status: 'ok', lastReadingAt: now }],
        history: async (_unit, from, to) => {
          const pts = []
          for (let ts = from; ts < to; ts += 15 * 60_000) {
            const c = 3.5 + Math.sin((ts - from) / 3_600_000) * 0.8 + (ts > to - 5 * 3_600_000 && ts < to - 4 * 3_600_000 ? 2.5 : 0)
            pts.push({ ts, c, min: c - 0.3, max: c + 0.3 })
          }
          return pts
        },
      }
      ctx.shared.lockers = {
        lockers: () => [{
          id: 'K1', name: '团购自提柜', online: true,
          compartments: Array.from({ length: 12 }, (_, i) => ({ slot: i + 1, tempClass: i < 2 ? 'chilled' as const : 'ambient' as const, state: i % 4 === 1 ? 'occupied' : i === 6 ? 'overdue' : 'empty', doorOpen: i === 3 })),
        }],
      }
      return { stop() {} }
    },
  }
}
