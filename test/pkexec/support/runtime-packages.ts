/**
 * The npm packages the built main bundle needs at run time: every bare `require("…")` in out/main
 * (Node's own modules and Electron aside), and what they depend on, as top-level package names under
 * node_modules. This is what the package unpacks beside out/main (`asarUnpack: node_modules/**`).
 */
import { builtinModules } from 'node:module'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'

const PROVIDED = new Set(['electron', ...builtinModules])

function jsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry)
    if (statSync(path).isDirectory()) return jsFiles(path)
    return entry.endsWith('.js') ? [path] : []
  })
}

/** `fast-xml-parser/src/x` → `fast-xml-parser`, `@scope/pkg/x` → `@scope/pkg`. */
export function packageOf(specifier: string): string {
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
}

/** Bare specifiers of `require("…")` calls in the bundle's files (relative ones and node: excluded). */
export function requiredPackages(bundleDir: string): string[] {
  const found = new Set<string>()
  for (const file of jsFiles(bundleDir)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\brequire\(\s*["']([^"'.][^"']*)["']\s*\)/g)) {
      const name = packageOf(m[1])
      if (!m[1].startsWith('node:') && !PROVIDED.has(name)) found.add(name)
    }
  }
  return [...found].sort()
}

function dependenciesOf(pkgDir: string): string[] {
  const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>
    optionalDependencies?: Record<string, string>
  }
  return Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })
}

/**
 * The top-level packages in `nodeModules` that `roots` need, dependencies included. A dependency nested
 * in a package's own node_modules comes along with that package's folder; its dependencies are followed.
 */
export function runtimeClosure(roots: readonly string[], nodeModules: string): string[] {
  const topLevel = new Set<string>()
  const queue: { name: string; from: string | null }[] = roots.map((name) => ({ name, from: null }))
  const seen = new Set<string>()
  while (queue.length > 0) {
    const { name, from } = queue.shift() as { name: string; from: string | null }
    const nested = from ? join(from, 'node_modules', name) : null
    const dir = nested && existsSync(nested) ? nested : join(nodeModules, name)
    if (seen.has(dir)) continue
    seen.add(dir)
    if (!existsSync(join(dir, 'package.json'))) {
      // An optional dependency for another platform is simply not installed.
      if (from === null) throw new Error(`the bundle requires ${name}, which is not in ${nodeModules}`)
      continue
    }
    if (dir === join(nodeModules, name)) topLevel.add(name)
    for (const dep of dependenciesOf(dir)) queue.push({ name: dep, from: dir })
  }
  return [...topLevel].sort()
}
