#!/usr/bin/env node
// package:check: validates the packaging offline. 1) the files in packaging/ (polkit action,
// .desktop, systemd unit, wrappers, deb scripts); 2) electron-builder's config, by a real
// `--linux dir` build against a stub Electron dist made here (no download), and what it packed.
// A real .deb needs fpm or electron-installer-debian and a genuine Electron dist: not checked here.
// Usage: node packaging/package-check.mjs [--config electron-builder.yml] [--skip-build]
import { spawnSync } from 'node:child_process'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { XMLParser, XMLValidator } from 'fast-xml-parser'

const repo = join(import.meta.dirname, '..')
const pkg = join(repo, 'packaging')
const args = process.argv.slice(2)
const configAt = args.indexOf('--config')
const config = configAt >= 0 ? args[configAt + 1] : 'electron-builder.yml'
const results = []
const check = (ok, what) => results.push({ ok: Boolean(ok), what })
const read = (f) => readFileSync(join(pkg, f), 'utf8')
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0

// 1. The polkit action.
const policy = read('org.guestnet.helper.policy')
check(XMLValidator.validate(policy) === true, 'polkit action is well-formed XML')
const tree = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_' }).parse(policy)
const actions = [tree.policyconfig?.action].flat().filter(Boolean)
const actionOf = (id) => actions.find((a) => a['@_id'] === id)
const pathOf = (a) =>
  [a?.annotate].flat().find((x) => x?.['@_key'] === 'org.freedesktop.policykit.exec.path')?.['#text']
const manage = actionOf('org.guestnet.helper')
const inspect = actionOf('org.guestnet.helper.inspect')
check(
  manage !== undefined && inspect !== undefined,
  'polkit actions org.guestnet.helper and org.guestnet.helper.inspect'
)
check(
  manage?.defaults?.allow_active === 'auth_admin_keep',
  'polkit: changing networks is auth_admin_keep (one prompt per few minutes)'
)
check(
  inspect?.defaults?.allow_active === 'yes' && inspect?.defaults?.allow_any === 'auth_admin',
  'polkit: reading is allowed to the active session, a password elsewhere'
)
for (const a of [manage, inspect])
  check(typeof a?.message === 'string' && a.message.length > 20, `polkit: ${a?.['@_id']} has a clear message`)
const helperPath = pathOf(manage)
const inspectPath = pathOf(inspect)
check(helperPath === '/usr/lib/guestnet/guestnet-helper', 'polkit: exec.path is /usr/lib/guestnet/guestnet-helper')
check(
  inspectPath === '/usr/lib/guestnet/guestnet-inspect',
  'polkit: inspect exec.path is /usr/lib/guestnet/guestnet-inspect'
)
const launch = readFileSync(join(repo, 'src-main/helper-client/launch.ts'), 'utf8')
check(
  launch.includes(`INSTALLED_HELPER = '${helperPath}'`) && launch.includes(`INSTALLED_INSPECTOR = '${inspectPath}'`),
  'the app runs the helper at the paths the polkit actions name'
)
check(/helper\.js --read-only$/m.test(read('guestnet-inspect')), 'guestnet-inspect runs the helper with --read-only')

// 2. The desktop entry and the systemd unit.
const desktop = read('guestnet.desktop')
for (const key of ['Type=Application', 'Name=', 'Exec=', 'Icon=', 'Categories='])
  check(desktop.includes(`\n${key}`) || desktop.startsWith(key), `.desktop has ${key}`)
if (has('desktop-file-validate'))
  check(
    spawnSync('desktop-file-validate', [join(pkg, 'guestnet.desktop')]).status === 0,
    'desktop-file-validate accepts guestnet.desktop'
  )
const unit = read('guestnet-autostart.service')
check(/^ExecStart=\/usr\/bin\/guestnet autostart-all$/m.test(unit), 'systemd unit runs guestnet autostart-all')
check(
  /^Type=oneshot$/m.test(unit) && /^WantedBy=multi-user.target$/m.test(unit),
  'systemd unit is a oneshot wanted at boot'
)
check(
  /^After=.*nftables\.service/m.test(unit),
  'systemd unit starts after the host firewall (which flushes the ruleset)'
)
check(
  /^Wants=.*guestnet-helper\.socket/m.test(unit) && /^After=.*guestnet-helper\.socket/m.test(unit),
  'systemd unit starts networks through the warm service (its guardian keeps them)'
)
const socketUnit = read('guestnet-helper.socket')
check(
  /^ListenStream=\/run\/guestnet\/\.helper\.sock$/m.test(socketUnit),
  'helper socket unit listens where the CLI looks (/run/guestnet/.helper.sock)'
)
check(
  /^SocketMode=0600$/m.test(socketUnit) && /^SocketUser=root$/m.test(socketUnit),
  'helper socket is root only (0600, root)'
)
const serviceUnit = read('guestnet-helper.service')
check(
  /^ExecStart=\/usr\/lib\/guestnet\/guestnet-helper --serve --idle-timeout \d+$/m.test(serviceUnit),
  'helper service runs guestnet-helper --serve with an idle timeout'
)
check(
  /LISTEN_PID/.test(read('guestnet-helper')) && /LISTEN_FDS/.test(read('guestnet-helper')),
  'guestnet-helper passes systemd socket activation through env -i'
)
if (has('systemd-analyze')) {
  const r = spawnSync('systemd-analyze', ['verify', join(pkg, 'guestnet-helper.socket')], { encoding: 'utf8' })
  check(
    !/Invalid|Unknown (key|section)/.test(r.stderr),
    `systemd-analyze verify accepts guestnet-helper.socket${r.stderr ? `: ${r.stderr.trim().split('\n')[0]}` : ''}`
  )
}

// The firewalld zone a bridge goes in when the network names none (core/plan/firewalld-zone.ts).
const zoneXml = read('guestnet-firewalld-zone.xml')
check(XMLValidator.validate(zoneXml) === true, 'firewalld zone is well-formed XML')
const zone = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_' }).parse(zoneXml).zone
const zoneServices = [zone?.service].flat().map((s) => s?.['@_name'])
check(zone?.['@_target'] === 'ACCEPT', 'firewalld zone forwards what guests send (target ACCEPT)')
check(
  ['dhcp', 'dhcpv6', 'dns'].every((s) => zoneServices.includes(s)),
  'firewalld zone lets guests reach DHCP, DHCPv6 and DNS on the host'
)
check(
  [zone?.rule].flat().some((r) => r?.['@_priority'] === '32767' && r?.reject !== undefined),
  'firewalld zone refuses the rest of the host (a last reject rule)'
)

// 3. Scripts parse, wrappers are executable and hand nothing of the caller's environment to root.
for (const f of ['guestnet-helper', 'guestnet-inspect', 'guestnet-cli']) {
  check(spawnSync('sh', ['-n', join(pkg, f)]).status === 0, `${f} is valid sh`)
  check((statSync(join(pkg, f)).mode & 0o111) !== 0, `${f} is executable`)
}
for (const f of ['guestnet-helper', 'guestnet-inspect']) {
  check(/env -i /.test(read(f)), `${f} clears the environment (env -i)`)
  check(/PKEXEC_UID/.test(read(f)), `${f} passes pkexec's PKEXEC_UID on (the helper then restricts the caller)`)
}
for (const f of ['deb/after-install.tpl', 'deb/after-remove.tpl'])
  check(spawnSync('bash', ['-n', join(pkg, f)]).status === 0, `${f} is valid bash`)
const postinst = read('deb/after-install.tpl')
for (const dest of [
  '/usr/lib/guestnet/guestnet-helper',
  '/usr/lib/guestnet/guestnet-inspect',
  '/usr/share/polkit-1/actions/org.guestnet.helper.policy',
  '/usr/bin/guestnet',
  '/lib/systemd/system/guestnet-autostart.service',
  '/lib/systemd/system/guestnet-helper.socket',
  '/lib/systemd/system/guestnet-helper.service',
  '/usr/lib/firewalld/zones/guestnet.xml'
]) {
  check(
    postinst.includes(dest) && read('deb/after-remove.tpl').includes(dest),
    `postinst installs and postrm removes ${dest}`
  )
}

// 4. electron-builder: a `--linux dir` build against a stub Electron dist.
if (!args.includes('--skip-build')) {
  if (!existsSync(join(repo, 'out/main/helper.js'))) check(false, 'out/ is built (run npm run build first)')
  else {
    const work = mkdtempSync(join(tmpdir(), 'guestnet-package-check-'))
    try {
      const stub = join(work, 'electron-dist')
      mkdirSync(join(stub, 'resources'), { recursive: true })
      writeFileSync(join(stub, 'electron'), '#!/bin/sh\necho "stub electron: not a real build" >&2\nexit 1\n')
      chmodSync(join(stub, 'electron'), 0o755)
      writeFileSync(join(stub, 'chrome-sandbox'), '')
      writeFileSync(join(stub, 'version'), 'v45.5.0')
      writeFileSync(join(stub, 'LICENSE'), 'stub')
      const out = join(work, 'dist')
      const r = spawnSync(
        'npx',
        [
          'electron-builder',
          '--linux',
          'dir',
          '--publish',
          'never',
          '--config',
          config,
          `-c.electronDist=${stub}`,
          `-c.directories.output=${out}`
        ],
        {
          cwd: repo,
          encoding: 'utf8',
          env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1', CSC_IDENTITY_AUTO_DISCOVERY: 'false' }
        }
      )
      check(
        r.status === 0,
        `electron-builder --linux dir with ${config} (stub Electron)${r.status === 0 ? '' : `:\n${(r.stderr || r.stdout).trim().split('\n').slice(-8).join('\n')}`}`
      )
      if (r.status === 0) {
        const res = join(out, 'linux-unpacked/resources')
        check(existsSync(join(res, 'app.asar')), 'the app is packed into resources/app.asar')
        for (const f of ['helper.js', 'cli.js'])
          check(
            existsSync(join(res, 'app.asar.unpacked/out/main', f)),
            `out/main/${f} is unpacked (run as plain node by the wrappers)`
          )
        // Unpacked code cannot require into the archive: every package it needs must be unpacked too.
        const mainDir = join(repo, 'out/main')
        const bundles = [
          ...readdirSync(mainDir).filter((f) => f.endsWith('.js')),
          ...readdirSync(join(mainDir, 'chunks'))
            .filter((f) => f.endsWith('.js'))
            .map((f) => `chunks/${f}`)
        ]
        const needed = new Set(
          bundles.flatMap((f) =>
            [...readFileSync(join(mainDir, f), 'utf8').matchAll(/require\("([^".][^"]*)"\)/g)].map((m) => m[1])
          )
        )
        for (const dep of [...needed].filter(
          (d) => !d.startsWith('node:') && d !== 'electron' && !/^(path|fs|os|child_process|crypto|url)$/.test(d)
        )) {
          check(
            existsSync(join(res, 'app.asar.unpacked/node_modules', dep, 'package.json')),
            `${dep} (required by out/main) is unpacked beside it`
          )
        }
        for (const f of [
          'guestnet-helper',
          'guestnet-inspect',
          'guestnet-cli',
          'org.guestnet.helper.policy',
          'guestnet-autostart.service',
          'guestnet-helper.socket',
          'guestnet-helper.service',
          'guestnet-firewalld-zone.xml'
        ]) {
          check(existsSync(join(res, 'packaging', f)), `resources/packaging/${f} is shipped for the postinst`)
        }
        check(
          existsSync(join(out, 'linux-unpacked/guestnet-app')),
          'the executable is guestnet-app (guestnet is the CLI)'
        )
      }
    } finally {
      rmSync(work, { recursive: true, force: true })
    }
  }
}

for (const r of results) process.stdout.write(`${r.ok ? 'ok  ' : 'FAIL'} ${r.what}\n`)
const failed = results.filter((r) => !r.ok).length
process.stdout.write(`package:check: ${results.length - failed} passed, ${failed} failed\n`)
process.exitCode = failed === 0 ? 0 : 1
