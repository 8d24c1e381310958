import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: true,
    maxWorkers: 2,
    // expect.poll waits for what a person would wait for: a loaded 2-core machine (CI runs Chromium,
    // ffmpeg and two test files at once) can take seconds where an idle one takes a moment.
    expect: { poll: { timeout: 10_000 } },
  },
})
