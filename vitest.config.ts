import { defineConfig } from 'vitest/config';

// Server unit and integration tests. The suite runs once per database dialect (scripts/test.mjs).
export default defineConfig({
  test: {
    include: ['server/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
