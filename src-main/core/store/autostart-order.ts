/**
 * The order autostart networks come up in: by name, compared by UTF-16 code units (JavaScript's
 * plain `<` on strings), never by locale. So `00default` < `Web` < `web` < `é`, the same on every
 * machine whatever LANG says; for ASCII names this is byte order, like `ls` under LC_ALL=C.
 * Admins who need one network first name it accordingly (`00base`).
 */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Autostart names, deduplicated and sorted by `compareNames`. */
export function autostartOrder(names: Iterable<string>): string[] {
  return [...new Set(names)].sort(compareNames)
}
