/**
 * Electron main: the composition root. One window, the IPC handlers from the contract, the tray,
 * change watchers turned into events. `--sandbox` runs everything inside the namespace sandbox.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

import { app, BrowserWindow, dialog, ipcMain, session } from 'electron'

import icon from '../../assets/icon.png?asset'
import type { EventName, EventPayload } from '../contract/ipc-contract'
import { terminalSafe } from '../core/text/terminal-safe'
import type { AppConfig } from './app-config'
import { resolveConfig } from './app-config'
import { showClashNotification } from './clash-notification'
import { showGuardianNotification } from './guardian-notification'
import { createAppService } from './create-service'
import { INSTALLED_HELPER, INSTALLED_INSPECTOR } from '../helper-client/launch'
import { dispatch } from './ipc/dispatch'
import { registerHandlers, sendEvent } from './ipc/handle'
import type { TrustedOrigins } from './ipc/trusted-sender'
import { GuestnetTray } from './tray'
import { startWatching } from './watchers'
import { applyCsp, createMainWindow } from './window'

const log = (line: string): void => void process.stderr.write(`guestnet: ${terminalSafe(line)}\n`)

let config: AppConfig
try {
  config = resolveConfig({ argv: process.argv.slice(1), env: process.env, uid: process.getuid?.() ?? 1000 })
} catch (e) {
  process.stderr.write(`guestnet: ${terminalSafe((e as Error).message)}\n`)
  process.exit(2)
}

let win: BrowserWindow | null = null
let tray: GuestnetTray | null = null
let quitting = false

const trusted: TrustedOrigins = {
  rendererIndex: join(__dirname, '../renderer/index.html'),
  ...(!app.isPackaged && process.env.ELECTRON_RENDERER_URL ? { devUrl: process.env.ELECTRON_RENDERER_URL } : {})
}

function emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
  sendEvent(win?.webContents ?? null, event, payload, log)
  if (event === 'network:state-changed' || event === 'leases:changed') void tray?.refresh()
}

const service = createAppService({
  config,
  version: app.getVersion(),
  emit,
  notifyClash: (clash) => showClashNotification(clash, showWindow),
  firstSeenDir: join(app.getPath('userData'), 'first-seen'),
  notifyGuardian: (frame) => showGuardianNotification(frame, showWindow),
  log,
  launch: {
    helperScript: join(__dirname, 'helper.js'),
    installedHelper: app.isPackaged && existsSync(INSTALLED_HELPER) ? INSTALLED_HELPER : null,
    installedInspector: app.isPackaged && existsSync(INSTALLED_INSPECTOR) ? INSTALLED_INSPECTOR : null,
    execPath: process.execPath,
    isElectron: true
  }
})

function showWindow(): void {
  if (!win || win.isDestroyed())
    win = createMainWindow({ trusted, icon, show: true, keepInTray: () => !quitting && tray !== null })
  else {
    win.show()
    win.focus()
  }
}

/** `guestnet sandbox up` through the CLI (root only), so the sandbox exists before the UI asks about it. */
function sandboxUp(): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(__dirname, 'cli.js'), '--root', config.root ?? '', 'sandbox', 'up'], {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'ignore', 'pipe']
    })
    let err = ''
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d))
    child.once('error', (e) => {
      dialog.showErrorBox('guestnet sandbox', `Could not start the sandbox: ${e.message}`)
      resolve()
    })
    child.once('close', (code) => {
      if (code !== 0)
        dialog.showErrorBox('guestnet sandbox', `The sandbox did not come up (it needs root):\n${err.trim()}`)
      resolve()
    })
  })
}

async function quickChange(channel: 'network:start' | 'network:stop', name: string): Promise<void> {
  const r = await dispatch(service.handlers, channel, { name }, log)
  if (!r.ok && r.error.code !== 'CANCELLED')
    dialog.showErrorBox('guestnet', `${channel === 'network:start' ? 'Start' : 'Stop'} ${name}: ${r.error.message}`)
  await tray?.refresh()
}

if (!app.requestSingleInstanceLock()) app.quit()
else {
  app.on('second-instance', () => showWindow())
  app.on('before-quit', () => (quitting = true))
  app.on('window-all-closed', () => {
    if (!tray) app.quit()
  })
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (url !== contents.getURL()) event.preventDefault()
    })
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  })

  void app.whenReady().then(async () => {
    applyCsp(session.defaultSession)
    registerHandlers({ ipcMain, handlers: service.handlers, trusted, sender: () => win?.webContents ?? null, log })
    if (config.mode === 'sandbox') await sandboxUp()
    try {
      tray = new GuestnetTray(icon, {
        list: async () => {
          const r = await dispatch(service.handlers, 'network:list', {}, log)
          return r.ok ? (r.value as Awaited<ReturnType<(typeof service.handlers)['network:list']>>) : []
        },
        start: (name) => quickChange('network:start', name),
        stop: (name) => quickChange('network:stop', name),
        open: showWindow,
        quit: () => app.quit()
      })
      void tray.refresh()
    } catch (e) {
      // No system tray (some desktops): closing the window then quits.
      log(`no tray: ${(e as Error).message}`)
      tray = null
    }
    const stopWatching = startWatching(service.watch)
    app.on('will-quit', () => {
      stopWatching()
      tray?.destroy()
    })
    if (!config.hidden || !tray) showWindow()
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) showWindow()
    })
  })
}
