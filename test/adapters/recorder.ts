/** An outlet that records what an adapter hands over, for tests without a broker. */
import type { AdapterReading, HardwareStatus, ReadingOutlet } from '../../devices/adapters/outlet.ts'

export interface Recorder extends ReadingOutlet {
  readings: AdapterReading[]
  statuses: HardwareStatus[]
  lastStatus(): HardwareStatus | undefined
}

export function recorder(): Recorder {
  const readings: AdapterReading[] = []
  const statuses: HardwareStatus[] = []
  return {
    readings,
    statuses,
    reading: (r) => void readings.push(r),
    status: (s) => void statuses.push(s),
    lastStatus: () => statuses.at(-1),
  }
}
