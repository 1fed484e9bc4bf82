/** `net-update`'s commands and sections, as virsh names them (those guestnet takes). */
export const UPDATE_COMMANDS = ['add', 'add-first', 'add-last', 'delete', 'modify'] as const
export type UpdateCommand = (typeof UPDATE_COMMANDS)[number]

export const UPDATE_SECTIONS = ['ip-dhcp-host', 'ip-dhcp-range', 'dns-host'] as const
export type UpdateSection = (typeof UPDATE_SECTIONS)[number]
