/** Where libvirt's conformance data lives (see ../shared/conformance/libvirt/README.md). */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** `GUESTNET_LIBVIRT_CORPUS` overrides the default `<repo>/../shared/conformance/libvirt`. */
export const LIBVIRT_CORPUS =
  process.env.GUESTNET_LIBVIRT_CORPUS ??
  resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../shared/conformance/libvirt')

export function corpusPath(...parts: string[]): string {
  return join(LIBVIRT_CORPUS, ...parts)
}

export function readCorpusFile(...parts: string[]): string {
  return readFileSync(corpusPath(...parts), 'utf8')
}

/** Case names (file names without `.xml`) in one corpus folder, sorted; empty if it is missing. */
export function corpusCases(folder: string): string[] {
  const dir = corpusPath(folder)
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((f) => f.endsWith('.xml'))
    .map((f) => f.slice(0, -'.xml'.length))
    .sort()
}
