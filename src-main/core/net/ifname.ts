/**
 * Linux interface names: the one rule for names guestnet reads (from `ip`, /sys, a firewalld
 * command). The kernel takes at most 15 bytes and neither '.' nor '..'; guestnet takes these
 * characters only. Names of bridges guestnet makes follow the stricter definition rule
 * (core/validate/syntax.ts).
 */
export const MAX_IFNAME_LENGTH = 15

/** The characters, as the inside of a regex character class. */
export const IFNAME_CHARS = 'A-Za-z0-9_.:@+-'

const IFNAME = new RegExp(`^[${IFNAME_CHARS}]{1,${MAX_IFNAME_LENGTH}}$`)

export function isInterfaceName(name: string): boolean {
  return IFNAME.test(name) && name !== '.' && name !== '..'
}
