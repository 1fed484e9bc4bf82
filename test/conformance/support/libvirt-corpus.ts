/** Where libvirt's conformance data lives: test/conformance/libvirt (see its README.md). */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** `GUESTNET_LIBVIRT_CORPUS` overrides the default, the copy in this repository. */
export const LIBVIRT_CORPUS =
  process.env.GUESTNET_LIBVIRT_CORPUS ?? resolve(fileURLToPath(new URL('.', import.meta.url)), '../libvirt')

export function corpusPath(...parts: string[]): string {
  return join(LIBVIRT_CORPUS, ...parts)
}

export function readCorpusFile(...parts: string[]): string {
  return readFileSync(corpusPath(...parts), 'utf8')
}

/** Case names (file names without `.xml`) in one corpus folder, sorted. A missing folder is an error. */
export function corpusCases(folder: string): string[] {
  const dir = corpusPath(folder)
  if (!existsSync(dir)) throw new Error(`libvirt corpus folder missing: ${dir}`)
  return readdirSync(dir)
    .filter((f) => f.endsWith('.xml'))
    .map((f) => f.slice(0, -'.xml'.length))
    .sort()
}
