/**
 * The one window: sandboxed renderer, context isolation, no node, strict CSP (also as a response
 * header), no navigation away and no new windows. Closing can leave the app in the tray.
 */
import { join } from 'node:path'

import type { Session } from 'electron'
import { BrowserWindow, shell } from 'electron'

import { CONTENT_SECURITY_POLICY } from './csp'
import { isTrustedUrl } from './ipc/trusted-sender'
import type { TrustedOrigins } from './ipc/trusted-sender'

export function applyCsp(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } })
  })
  // The renderer needs no camera, microphone, notifications or anything else a page may ask for.
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
}

export interface WindowOptions {
  trusted: TrustedOrigins
  icon: string
  show: boolean
  /** True while the app is quitting: then closing really closes. */
  keepInTray: () => boolean
}

export function createMainWindow(o: WindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1100,
    height: 780,
    minWidth: 640,
    minHeight: 480,
    show: false,
    title: 'guestnet',
    icon: o.icon,
    autoHideMenuBar: true,
    webPreferences: {
      preload: join(__dirname, '../preload/index.js'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      spellcheck: false
    }
  })
  win.webContents.setWindowOpenHandler(({ url }) => {
    // Links to documentation open in the user's browser; the app itself never opens windows.
    if (url.startsWith('https://')) void shell.openExternal(url)
    return { action: 'deny' }
  })
  win.webContents.on('will-navigate', (event, url) => {
    if (!isTrustedUrl(url, o.trusted)) event.preventDefault()
  })
  win.webContents.on('will-attach-webview', (event) => event.preventDefault())
  win.on('close', (event) => {
    if (o.keepInTray()) {
      event.preventDefault()
      win.hide()
    }
  })
  win.once('ready-to-show', () => {
    if (o.show) win.show()
  })
  if (o.trusted.devUrl) void win.loadURL(o.trusted.devUrl)
  else void win.loadFile(o.trusted.rendererIndex)
  return win
}
