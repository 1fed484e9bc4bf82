/**
 * The real app in Electron: it opens one window showing the first-run wizard, the preload gives
 * the page `window.guestnet` (and nothing of node), and the CSP header is set. Runs wherever the
 * Electron binary is installed (npx install-electron) under a display (xvfb-run); skipped elsewhere.
 * It never presses Apply, so pkexec is never reached; `--root` keeps it off the real /etc/guestnet.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { _electron as electron, expect, test } from '@playwright/test'

import { electronBinary } from './electron-binary'

const exe = electronBinary()
const mainScript = join(__dirname, '../../../out/main/index.js')

test.describe('electron smoke', () => {
  test.skip(!exe, 'Electron binary not installed (npx install-electron puts it in node_modules/electron/dist)')
  test.skip(!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY, 'no display: run under xvfb-run -a')

  test('opens the first-run wizard with the contract API and nothing of node', async ({}, testInfo) => {
    const root = mkdtempSync(join(tmpdir(), 'guestnet-electron-'))
    const app = await electron.launch({
      executablePath: exe as string,
      args: [mainScript, '--no-sandbox', '--disable-gpu', '--root', root],
      env: { ...process.env, ELECTRON_ENABLE_LOGGING: '1' }
    })
    try {
      const win = await app.firstWindow()
      await expect(win.getByRole('heading', { name: 'Set up the default network' })).toBeVisible({ timeout: 30_000 })
      const shape = await win.evaluate(() => ({
        network: Object.keys((window as unknown as { guestnet: { network: object } }).guestnet.network).sort(),
        require: typeof (window as unknown as { require?: unknown }).require,
        process: typeof (window as unknown as { process?: unknown }).process
      }))
      expect(shape.network).toContain('setAutostart')
      expect(shape.require).toBe('undefined')
      expect(shape.process).toBe('undefined')
      const windows = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)
      expect(windows).toBe(1)
      await win.screenshot({ path: testInfo.outputPath('electron-first-run.png') })
    } finally {
      await app.close()
    }
  })
})
