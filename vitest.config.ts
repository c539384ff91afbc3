import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * Test files that cut the shared RabbitMQ for everyone (close_all_connections, stop_app/start_app): they run one at
 * a time after every other file has finished, so no other test sees an outage it did not cause. Found by what the
 * file runs, so a new outage test lands in the right group without anyone listing it.
 */
const OUTAGE = /['"](close_all_connections|stop_app|start_app)['"]/;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'fixtures' || e.name === 'node_modules' ? [] : testFiles(path);
    return e.name.endsWith('.test.ts') ? [path] : [];
  });
}

const outageFiles = testFiles('test').filter((f) => OUTAGE.test(readFileSync(f, 'utf8')));

const shared = {
  testTimeout: 30_000,
  hookTimeout: 60_000,
  pool: 'forks' as const,
  globalSetup: ['test/setup/build.ts', 'test/setup/services.ts'],
};

export default defineConfig({
  test: {
    ...shared,
    projects: [
      {
        test: {
          ...shared,
          name: 'parallel',
          include: ['test/**/*.test.ts'],
          exclude: ['test/fixtures/**', 'node_modules/**', ...outageFiles],
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...shared,
          name: 'broker-outages',
          include: outageFiles.length > 0 ? outageFiles : ['no-outage-tests'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
