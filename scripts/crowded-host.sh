#!/bin/sh
# Runs a command as if on a machine where libvirt, Docker and a VPN client are installed and running,
# without changing this machine: in a mount and network namespace of its own, where
#   - libvirt's default network is defined (/etc/libvirt/qemu/networks/default.xml) and up (virbr0,
#     192.168.122.1/24);
#   - Docker's bridge docker0 (172.17.0.1/16) and its iptables chains are there, FORWARD policy DROP;
#   - a VPN client's tunnel interface holds the default route, with a kill-switch nft table.
# /etc is a tmpfs with every entry of the real one bound back (as test/pkexec/support/private-store.sh
# does), so /etc/libvirt appears without a mount point on the machine's own filesystem.
# The tests must pass here exactly as on a bare machine: they read the host only through their own
# sandbox (scripts/run-tests.mjs runs its "crowded" stage through this).
# Usage: scripts/crowded-host.sh COMMAND [ARGS…]   (root; util-linux unshare, iproute2, iptables, nft)
set -eu
. "$(dirname "$0")/lib/bind-back.sh"
if [ "${GUESTNET_CROWDED_INSIDE:-}" != 1 ]; then
  exec env GUESTNET_CROWDED_INSIDE=1 unshare --mount --net --propagation private "$0" "$@"
fi

stage=$(mktemp -d /tmp/gn-crowded-XXXXXX)
mount -n -t tmpfs -o mode=0700 gn-crowded-stage "$stage"
mkdir "$stage/etc"
mount -n --rbind /etc "$stage/etc"
mount -n -t tmpfs -o mode=0755 gn-crowded-etc /etc
bind_back "$stage/etc" /etc libvirt
mkdir -p /etc/libvirt/qemu/networks/autostart
cat >/etc/libvirt/qemu/networks/default.xml <<'XML'
<network>
  <name>default</name>
  <uuid>0fe1a3c6-5f2a-4f3a-9d7e-1b2c3d4e5f60</uuid>
  <forward mode='nat'/>
  <bridge name='virbr0' stp='on' delay='0'/>
  <mac address='52:54:00:6b:3c:58'/>
  <ip address='192.168.122.1' netmask='255.255.255.0'>
    <dhcp>
      <range start='192.168.122.2' end='192.168.122.254'/>
    </dhcp>
  </ip>
</network>
XML
ln -s ../default.xml /etc/libvirt/qemu/networks/autostart/default.xml

ip link set lo up
# libvirt's network, up.
ip link add virbr0 type bridge
ip addr add 192.168.122.1/24 dev virbr0
ip link set virbr0 up
# Docker.
ip link add docker0 type bridge
ip addr add 172.17.0.1/16 dev docker0
ip link set docker0 up
for t in iptables-nft ip6tables-nft; do
  command -v "$t" >/dev/null || continue
  $t -N DOCKER
  $t -N DOCKER-USER
  $t -N DOCKER-ISOLATION-STAGE-1
  $t -A FORWARD -j DOCKER-USER
  $t -A FORWARD -j DOCKER-ISOLATION-STAGE-1
  $t -A DOCKER-USER -j RETURN
  $t -P FORWARD DROP
done
# A VPN client: its tunnel holds the default route, and a kill switch drops what does not use it.
ip link add tun0 type veth peer name tun0-peer
ip addr add 10.64.0.2/32 dev tun0
ip link set tun0 up
ip link set tun0-peer up
ip route add default dev tun0
nft -f - <<'NFT'
table inet mullvad {
  chain output {
    type filter hook output priority 0; policy drop;
    oif "lo" accept
    oif "tun0" accept
  }
}
NFT

umount -R -n "$stage"
rmdir "$stage"
exec "$@"
