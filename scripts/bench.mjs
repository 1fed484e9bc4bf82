#!/usr/bin/env node
// `npm run bench`: bundles the TypeScript benchmarks in test/bench/ (rolldown, as the app build uses) and runs
// each, printing its table. Namespace benchmarks need root and say so when skipped.
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'

import { build } from 'rolldown'

const root = join(import.meta.dirname, '..')
const benchDir = join(root, 'test', 'bench')
const outDir = join(root, 'out', 'bench')
const only = process.argv.slice(2)
const entries = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort()

let failed = 0
for (const entry of entries) {
  const outFile = join(outDir, entry.replace(/\.ts$/, '.cjs'))
  await build({
    input: join(benchDir, entry),
    platform: 'node',
    external: [/^node:/],
    logLevel: 'warn',
    output: { file: outFile, format: 'cjs' }
  })
  // Users do not have NODE_EXTRA_CA_CERTS; it adds ~85 ms to every node start, so measure without it.
  const env = { ...process.env }
  delete env.NODE_EXTRA_CA_CERTS
  const r = spawnSync(process.execPath, ['--expose-gc', outFile], { stdio: 'inherit', cwd: root, env })
  if (r.status !== 0) failed++
}
process.exitCode = failed ? 1 : 0
