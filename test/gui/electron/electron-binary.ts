/**
 * Where the Electron binary is, found on disk without `require('electron')` (which, since Electron
 * 42, tries to download it). `ELECTRON_EXEC_PATH` wins; else the installed package's path.txt.
 */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

export function electronBinary(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.ELECTRON_EXEC_PATH) return existsSync(env.ELECTRON_EXEC_PATH) ? env.ELECTRON_EXEC_PATH : null
  const require = createRequire(__filename)
  let pkgDir: string
  try {
    pkgDir = dirname(require.resolve('electron/package.json'))
  } catch {
    return null
  }
  const pathFile = join(pkgDir, 'path.txt')
  if (!existsSync(pathFile)) return null
  const exe = join(env.ELECTRON_OVERRIDE_DIST_PATH ?? join(pkgDir, 'dist'), readFileSync(pathFile, 'utf8').trim())
  return existsSync(exe) ? exe : null
}
