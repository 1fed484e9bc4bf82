/**
 * Every guestnet bridge joins this interface group (`ip link … group N`), so a network's firewall
 * can recognise "another guestnet bridge" without knowing the other networks: `oifgroup`/`iifgroup`.
 * 0x676e is "gn"; the default group of every interface is 0, and nothing else on a desktop assigns
 * groups in practice.
 */
export const GUESTNET_DEVGROUP = 0x676e
