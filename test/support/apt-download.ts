/** Fetches one Debian package's .deb with `apt-get download` (nothing is installed). */
import { execFile } from 'node:child_process'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** Downloads `pkg` into `dir` and returns the .deb's path. */
export async function aptDownload(pkg: string, dir: string): Promise<string> {
  // As root apt would hand the download to the _apt user, who cannot write here; nothing else changes.
  await run('apt-get', ['-q', '-o', 'APT::Sandbox::User=root', 'download', pkg], { cwd: dir, timeout: 300_000 }).catch(
    (error: Error & { stderr?: string }) => {
      const why = (error.stderr ?? '').trim().split('\n').pop() || error.message.split('\n')[0]
      throw new Error(`apt-get download ${pkg}: ${why}`)
    }
  )
  const deb = (await readdir(dir)).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'))
  if (!deb) throw new Error(`apt-get download ${pkg} left no .deb in ${dir}`)
  return join(dir, deb)
}
