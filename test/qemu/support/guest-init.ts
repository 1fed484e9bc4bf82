/**
 * The guest's programs (busybox sh). `/init` brings the network up on its own and reports each step on
 * the serial console as `GUESTNET-<TAG> key=value…` lines; then it runs the commands the test sends
 * (`<id> <base64 of a sh script>` per line) and answers `GUESTNET-OUT <id> <line>` … `GUESTNET-EXIT <id> <rc>`.
 * The line `poweroff` ends the guest. `up=` is the guest's /proc/uptime at that step; `ADDR` lines
 * report each global IPv6 address as it appears.
 *
 * Kernel parameters it reads: `gn.hostname=NAME` (sent as the DHCP hostname).
 */

export const INIT = `#!/bin/sh
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1
echo 1 >/proc/sys/kernel/printk
stty -echo 2>/dev/null
up() { cut -d' ' -f1 /proc/uptime; }
say() { echo "GUESTNET-$*"; }
param() { for w in $(cat /proc/cmdline); do case "$w" in "gn.$1="*) echo "\${w#*=}"; return;; esac; done; }
NAME=$(param hostname)
hostname "\${NAME:-guest}"
say "BOOT up=$(up) kernel=$(uname -r)"
for m in $(cat /etc/gn-modules); do insmod "/lib/modules/$m.ko" || say "ERROR insmod $m"; done
n=0
while [ ! -e /sys/class/net/eth0 ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
ip link set lo up
ip link set eth0 up || say "ERROR step=link no eth0"
say "LINK up=$(up) mac=$(cat /sys/class/net/eth0/address)"
# Each usable global IPv6 address as it appears (for a minute or so): the SLAAC line names the first only.
(
  seen=
  n=0
  while [ $n -lt 300 ]; do
    for a in $(ip -6 addr show dev eth0 scope global | awk '/inet6/ && !/tentative/ { sub("/.*", "", $2); print $2 }'); do
      case " $seen " in *" $a "*) ;; *) seen="$seen $a"; say "ADDR up=$(up) addr=$a" ;; esac
    done
    sleep 0.2
    n=$((n + 1))
  done
) &
udhcpc -i eth0 -x "hostname:$(hostname)" -s /etc/gn-udhcpc.sh -q -n -t 10 -T 2 >/tmp/udhcpc.log 2>&1 ||
  say "ERROR step=dhcp $(tail -n 1 /tmp/udhcpc.log)"
n=0
a=
while [ $n -lt 300 ]; do
  a=$(ip -6 addr show dev eth0 scope global | awk '/inet6/ && !/tentative/ { sub("/.*", "", $2); print $2; exit }')
  [ -n "$a" ] && break
  sleep 0.1
  n=$((n + 1))
done
if [ -n "$a" ]; then say "SLAAC up=$(up) addr=$a"; else say "ERROR step=slaac no global IPv6 address"; fi
say "READY up=$(up)"
while read -r id b64; do
  case "$id" in
    poweroff) say "BYE up=$(up)"; sync; poweroff -f ;;
    run-*)
      echo "$b64" | base64 -d >/tmp/cmd
      sh /tmp/cmd >/tmp/out 2>&1 </dev/null
      rc=$?
      while IFS= read -r l; do say "OUT $id $l"; done </tmp/out
      say "EXIT $id $rc"
      ;;
  esac
done
poweroff -f
`

/** udhcpc's event script: configures the lease and reports it. */
export const UDHCPC = `#!/bin/sh
case "$1" in
  deconfig)
    ip -4 addr flush dev "$interface"
    ip link set "$interface" up
    ;;
  bound|renew)
    ip -4 addr flush dev "$interface"
    ip addr add "$ip/\${mask:-24}" dev "$interface"
    set -- $router
    [ -n "$1" ] && ip route replace default via "$1" dev "$interface"
    : >/etc/resolv.conf
    [ -n "$domain" ] && echo "search $domain" >>/etc/resolv.conf
    for d in $dns; do echo "nameserver $d" >>/etc/resolv.conf; done
    echo "GUESTNET-LEASE up=$(cut -d' ' -f1 /proc/uptime) ip=$ip mask=\${mask:-24} router=$(echo $router | tr ' ' ,) dns=$(echo $dns | tr ' ' ,) domain=$domain lease=$lease" >/dev/console
    ;;
esac
exit 0
`

/** `gn-listen PORT`: a TCP server on PORT (IPv4 and IPv6) in the background; returns once it listens. */
export const LISTEN = `#!/bin/sh
GN_PORT=$1 nc -ll -p "$1" -e /bin/gn-serve </dev/null >/dev/null 2>&1 &
n=0
until netstat -ltn 2>/dev/null | grep -q ":$1 "; do
  n=$((n + 1))
  [ $n -gt 50 ] && { echo "not listening on $1"; exit 1; }
  sleep 0.1
done
echo "listening on $1"
`

/** One connection of gn-listen: answers `hello PEER` and reports `GUESTNET-PEER port=… peer=…`. */
export const SERVE = `#!/bin/sh
# The accepted connection (the server closes first, so earlier ones are in TIME_WAIT by now).
peer=$(netstat -tn 2>/dev/null | awk -v p=":$GN_PORT" '($6 == "ESTABLISHED" || $6 == "CLOSE_WAIT") && substr($4, length($4) - length(p) + 1) == p { print $5; exit }')
peer=\${peer%:*}
peer=\${peer#::ffff:}
echo "GUESTNET-PEER port=$GN_PORT peer=$peer" >/dev/console
echo "hello $peer"
`
