import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'devices/**/*.test.ts', 'gateway/**/*.test.ts', 'firmware-sim/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Tests that start child processes and sockets share 2 cores; keep parallelism modest.
    maxWorkers: 2,
    reporters: ['default'],
  },
})
