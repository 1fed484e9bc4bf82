/**
 * Names of network namespaces (`ip netns`, files in /run/netns): the one rule for every reader of
 * one. A letter, digit or '_' first (never an option, never '.' or '..'), then up to 63 more of
 * those, '.' and '-'.
 */
export const NETNS_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/

/** Why NAME is not an acceptable namespace name, or null. */
export function netnsNameProblem(name: string): string | null {
  return NETNS_NAME.test(name)
    ? null
    : `'${name}' is not a network namespace name: use 1 to 64 letters, digits, '_', '.' or '-', starting with a letter, digit or '_'`
}
