#!/usr/bin/env node
// The one test command (`npm test`): build, type-check, lint, then every test suite, each with a JSON
// report; ends with the plain line `N passed, N failed` summed over all suites (CI reads that line).
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')
const reports = join(root, 'reports')
rmSync(reports, { recursive: true, force: true })
mkdirSync(reports, { recursive: true })

const only = process.argv.slice(2)
const want = (name) => only.length === 0 || only.includes(name)
const totals = { passed: 0, failed: 0, skipped: 0 }
const lines = []

function run(label, cmd, args, env = {}) {
  const started = Date.now()
  process.stdout.write(`\n=== ${label}: ${cmd} ${args.join(' ')}\n`)
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } })
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  return { ok: r.status === 0, seconds }
}

function gate(label, cmd, args) {
  const r = run(label, cmd, args)
  if (r.ok) totals.passed += 1
  else totals.failed += 1
  lines.push(`${label}: ${r.ok ? 'ok' : 'FAILED'} (${r.seconds} s)`)
  return r.ok
}

/** A command prefix that runs the suite on a crowded host (scripts/crowded-host.sh), or none. */
function wrapped(cmd, args, via) {
  return via ? [via[0], [...via.slice(1), cmd, ...args]] : [cmd, args]
}

function vitest(label, projects, env = {}, via = null) {
  const file = join(reports, `vitest-${label}.json`)
  const args = [
    'vitest',
    'run',
    ...projects.flatMap((p) => ['--project', p]),
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${file}`
  ]
  const r = run(`vitest ${label}`, ...wrapped('npx', args, via), env)
  if (!existsSync(file)) {
    totals.failed += 1
    lines.push(`vitest ${label}: no report (runner crashed)`)
    return
  }
  const j = JSON.parse(readFileSync(file, 'utf8'))
  const skipped = (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0)
  // A suite that fails to load counts as a failure even when it reports no failed test.
  const failed = j.numFailedTests + (r.ok || j.numFailedTests > 0 ? 0 : 1)
  totals.passed += j.numPassedTests
  totals.failed += failed
  totals.skipped += skipped
  lines.push(`vitest ${label}: ${j.numPassedTests} passed, ${failed} failed, ${skipped} skipped (${r.seconds} s)`)
}

function playwright(label, project, via = null) {
  const file = join(reports, `playwright-${label}.json`)
  const args = ['playwright', 'test', `--project=${project}`, '--reporter=list,json']
  const r = run(`playwright ${label}`, ...wrapped('npx', args, via), { PLAYWRIGHT_JSON_OUTPUT_NAME: file })
  if (!existsSync(file)) {
    totals.failed += 1
    lines.push(`playwright ${label}: no report (runner crashed)`)
    return
  }
  const s = JSON.parse(readFileSync(file, 'utf8')).stats ?? {}
  const failed = (s.unexpected ?? 0) + (s.flaky ?? 0) + (r.ok || s.unexpected ? 0 : 1)
  totals.passed += s.expected ?? 0
  totals.failed += failed
  totals.skipped += s.skipped ?? 0
  lines.push(
    `playwright ${label}: ${s.expected ?? 0} passed, ${failed} failed, ${s.skipped ?? 0} skipped (${r.seconds} s)`
  )
}

function packageCheck() {
  const r = spawnSync('node', ['packaging/package-check.mjs'], { cwd: root, encoding: 'utf8', env: process.env })
  process.stdout.write(`\n=== package:check\n${r.stdout}${r.stderr}`)
  const m = /package:check: (\d+) passed, (\d+) failed/.exec(r.stdout)
  const passed = m ? Number(m[1]) : 0
  const failed = m ? Number(m[2]) + (r.status === 0 || Number(m[2]) > 0 ? 0 : 1) : 1
  totals.passed += passed
  totals.failed += failed
  lines.push(`package:check: ${passed} passed, ${failed} failed`)
}

const isRoot = process.getuid?.() === 0

if (want('build')) gate('build', 'npx', ['electron-vite', 'build'])
if (want('typecheck')) gate('typecheck', 'npm', ['run', '-s', 'typecheck'])
if (want('lint')) gate('lint', 'npm', ['run', '-s', 'lint'])
if (want('unit')) vitest('unit', ['unit', 'conformance', 'renderer'])
if (want('netns')) {
  if (isRoot) vitest('netns', ['netns'])
  else lines.push('vitest netns: not run (needs root: network namespaces, bridges and nftables inside them)')
}
if (want('pkexec')) {
  if (isRoot) vitest('pkexec', ['pkexec'])
  else
    lines.push(
      'vitest pkexec: not run (needs root: installs the polkit action and helper, a test user, a bus and polkitd)'
    )
}
if (want('qemu')) {
  if (isRoot) vitest('qemu', ['qemu'])
  else lines.push('vitest qemu: not run (needs root: a real guest on a bridge inside network namespaces)')
}
if (want('package')) packageCheck()
if (want('gui') && existsSync(join(root, 'playwright.config.ts'))) {
  playwright('gui', 'renderer')
  playwright('electron', 'electron')
}
// Once more where libvirt, Docker and a VPN client are installed and running (in namespaces of the
// suite's own): the tests that could read the host must see only their sandbox.
if (want('crowded')) {
  if (isRoot) {
    const via = [join(root, 'scripts', 'crowded-host.sh')]
    vitest('crowded-unit', ['unit', 'renderer'], {}, via)
    playwright('crowded-gui', 'renderer', via)
  } else lines.push('crowded host: not run (needs root: its own mount and network namespace)')
}

process.stdout.write(`\n=== summary\n${lines.join('\n')}\n`)
process.stdout.write(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`)
process.exitCode = totals.failed === 0 ? 0 : 1
