/** The demo store: a small community store with every kind of device, on loopback ports. */
export interface DemoPorts {
  host: string
  mqtt: number
  http: number
}

export const DEMO_DEVICES = ['shelf-a1', 'shelf-a2', 'cold-f1', 'cold-z1', 'cold-r1', 'locker-k1'] as const

export function demoConfigYaml(dataDir: string, p: DemoPorts, staffPasswordHash: string): string {
  return `# Shelfgate demo store (written by \`shelfgate demo\`; see docs/store.example.yaml for every option)
store:
  id: demo-store
  name: Shelfgate demo store
  timezone: Asia/Shanghai
  language: en

listeners:
  mqtt: { host: ${p.host}, port: ${p.mqtt} }
  http: { host: ${p.host}, port: ${p.http} }

dataDir: ${JSON.stringify(dataDir)}

# Charts on the staff page fill from rollups: write them every minute in the demo (default 5).
storage: { rollupFlushMin: 1 }

shelves:
  - id: A1
    location: { aisle: A, shelf: 1 }
    device: shelf-a1
    lanes:
      - { id: L1, sku: "6901234567892", name: Milk 250ml, unitWeight: 262, capacity: 24, restockAt: 6, leadTimeMin: 30 }
      - { id: L2, sku: "6909876543210", name: Eggs x10, unitWeight: 610, capacity: 8, restockAt: 2, leadTimeMin: 45 }
      - { id: L3, sku: "6901111111111", name: Yogurt cup, unitWeight: 135, capacity: 30, restockAt: 8, leadTimeMin: 30 }
  - id: A2
    location: { aisle: A, shelf: 2 }
    device: shelf-a2
    lanes:
      - { id: L1, sku: "6902222222222", name: Instant noodles, unitWeight: 118, capacity: 20, restockAt: 5, leadTimeMin: 60, calibration: { zeroCounts: 84213, countsPerGram: 419.7 } }
      - { id: L2, sku: "6903333333333", name: Mineral water 550ml, unitWeight: 572, capacity: 12, restockAt: 3, leadTimeMin: 60 }

coldUnits:
  - { id: F1, name: Dairy fridge, class: chilled, device: cold-f1, readingIntervalS: 30 }
  - { id: Z1, name: Freezer, class: frozen, device: cold-z1, readingIntervalS: 30 }
  - { id: R1, name: Cold room, class: cold-room, device: cold-r1, readingIntervalS: 60 }

staff:
  - { name: Store manager, role: manager, username: manager, passwordHash: "${staffPasswordHash}" }

lockers:
  - id: K1
    name: Group-buy pickup locker
    device: locker-k1
    compartments: { count: 12, chilled: [1, 2, 3], frozen: [4] }
`
}
