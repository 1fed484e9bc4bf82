/**
 * GUI tests. `renderer`: Debian's Chromium drives the built renderer, served by the harness
 * (test/gui/harness/server.ts), which answers every contract call with the real main-process
 * handlers and runs the helper inside the namespace sandbox (root only). `electron`: a smoke test
 * of the real app, skipped where the Electron binary is not installed.
 */
import { defineConfig } from '@playwright/test'

const port = Number(process.env.GUESTNET_HARNESS_PORT ?? 41741)
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run'
]
const isRoot = process.getuid?.() === 0
// The harness builds a sandbox of network namespaces: root only, and only for the renderer project.
const wantsRenderer = isRoot && !process.argv.some((a) => a === '--project=electron')

export default defineConfig({
  outputDir: './test-results',
  workers: 1,
  fullyParallel: false,
  reporter: [['list']],
  timeout: 90_000,
  expect: { timeout: 15_000 },
  globalTeardown: './test/gui/harness/global-teardown.ts',
  use: { baseURL: `http://127.0.0.1:${port}`, trace: 'retain-on-failure', screenshot: 'only-on-failure' },
  projects: [
    {
      name: 'renderer',
      testDir: './test/gui/renderer',
      testMatch: '**/*.spec.ts',
      use: {
        browserName: 'chromium',
        viewport: { width: 1100, height: 800 },
        launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs }
      }
    },
    // Its own output dir: a run of this project must not wipe the renderer run's screenshots.
    {
      name: 'electron',
      testDir: './test/gui/electron',
      testMatch: '**/*.spec.ts',
      outputDir: './test-results/electron'
    }
  ],
  webServer: wantsRenderer
    ? {
        command: 'node node_modules/jiti/lib/jiti-cli.mjs test/gui/harness/server.ts',
        url: `http://127.0.0.1:${port}/index.html`,
        reuseExistingServer: false,
        timeout: 90_000,
        stdout: 'pipe',
        stderr: 'pipe',
        env: { GUESTNET_HARNESS_PORT: String(port) }
      }
    : undefined
})
