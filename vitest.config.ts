import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // Child processes, not worker threads: a thread's stack is 4 MB, the main thread's 1 MB, so the
    // tests of stack overflows (a spread of 150,000 values, deep nesting) would pass vacuously in a thread.
    pool: 'forks',
    // Both cores (vitest's default leaves one free). The test files share the two processes and their
    // loaded modules instead of importing mathjs, yargs and the compiler afresh for each file: that
    // cost 55 of 200 s. Test files keep no state in shared modules, and each makes its own temp dirs.
    maxWorkers: 2,
    isolate: false,
  },
});
