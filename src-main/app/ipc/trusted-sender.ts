/**
 * Which frames may call the main process: only our own renderer, loaded from its file in the app
 * or from the development server. Anything else (a page the window was somehow sent to, an iframe
 * of another origin) gets FORBIDDEN_SENDER. Pure: no electron import.
 */
import { pathToFileURL } from 'node:url'

export interface TrustedOrigins {
  /** Absolute path of the built renderer's index.html. */
  rendererIndex: string
  /** `ELECTRON_RENDERER_URL` in development, else undefined. */
  devUrl?: string
}

export function isTrustedUrl(url: string | undefined, t: TrustedOrigins): boolean {
  if (!url) return false
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return false
  }
  if (u.protocol === 'file:') return u.pathname === pathToFileURL(t.rendererIndex).pathname
  if (t.devUrl) {
    const dev = new URL(t.devUrl)
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === dev.origin
  }
  return false
}
