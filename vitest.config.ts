import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Lab tests start real sshd processes in namespaces; two workers match the 2-core machines.
    maxWorkers: 2,
  },
});
