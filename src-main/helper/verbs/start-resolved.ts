/**
 * After a network started (start, autostart-all): register it with systemd-resolved, or say why
 * not (ops/resolved.ts). The definition comes from the start path's own cache (state/definitions.ts),
 * so this costs no XML parsing. Inside a namespace nothing is read or run (null): the namespace
 * tests and the sandbox pay nothing for it.
 */
import type { ResolvedOutcome } from '../ops/resolved'
import { realResolvedIo, registerResolved } from '../ops/resolved'
import { loadDefinitions } from '../state/definitions'
import type { VerbContext } from './context'

export async function resolvedAfterStart(
  ctx: VerbContext<'start' | 'apply' | 'autostart-all'>,
  name: string
): Promise<ResolvedOutcome | null> {
  const { paths, netns } = ctx.deps
  if (netns !== null) return null
  const entries = await loadDefinitions({
    layout: paths.layout,
    cacheFile: paths.definitionsCache,
    uid: process.getuid?.() ?? 0
  })
  const entry = entries.find((e) => e.name === name)
  if (!entry || entry.state !== 'ok') return null
  // Only a bridge that is really there (fake machines in unit tests have none): never another link.
  const bridge = entry.def.bridge?.name
  if (bridge === undefined || !ctx.deps.interfaces().has(bridge)) return null
  return registerResolved(entry.def, realResolvedIo(paths.layout.hostConfigFile), null)
}
