import { defineConfig } from '@playwright/test';

// The release server runs on its own port with a fresh data directory and maildev as its
// SMTP server; see serve.sh. Debian's Chromium is used as it is (never `playwright install`).
export const BASE_URL = 'http://127.0.0.1:3100';
export const MAILDEV_API = 'http://127.0.0.1:1081';

export default defineConfig({
  testDir: './tests',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL: BASE_URL,
    locale: 'de-DE',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    },
  },
  projects: [
    // Staff and administrators must enrol in the second factor before anything else: the
    // setup enrols the demo's two (without JavaScript) and keeps their secrets for the rest.
    { name: 'setup', testMatch: /.*\.setup\.ts/, use: { browserName: 'chromium' } },
    { name: 'chromium', use: { browserName: 'chromium' }, dependencies: ['setup'] },
  ],
  webServer: [
    {
      command: 'node_modules/.bin/maildev --smtp 1026 --web 1081 --ip 127.0.0.1 --web-ip 127.0.0.1',
      url: `${MAILDEV_API}/email`,
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      command: 'bash ./serve.sh',
      url: `${BASE_URL}/healthz`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: 'pipe',
    },
  ],
});
