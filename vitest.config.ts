import { defineConfig } from 'vitest/config';

/**
 * Files that stop the machine's broker (`rabbitmqctl stop_app`) run after every other file, so no other broker test
 * is ever running while RabbitMQ is down.
 */
const BROKER_RESTARTS = ['test/plugins/ingress/amqp.test.ts'];

export default defineConfig({
  test: {
    exclude: ['test/fixtures/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['test/setup/services.ts'],
    projects: [
      { extends: true, test: { name: 'suite', include: ['test/**/*.test.ts'], exclude: ['test/fixtures/**', 'node_modules/**', ...BROKER_RESTARTS] } },
      { extends: true, test: { name: 'broker-restarts', include: BROKER_RESTARTS, sequence: { groupOrder: 1 } } },
    ],
  },
});
