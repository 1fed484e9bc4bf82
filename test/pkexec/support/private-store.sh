#!/bin/sh
# Runs inside the suite's own mount namespace (nsenter --mount=FILE): makes /etc/guestnet, /var/lib/guestnet
# and /run/guestnet empty tmpfs mounts without creating a mount point on the machine's filesystem. Each
# parent gets a tmpfs of its own with every entry of the real one bound back (submounts such as
# /run/netns/* included, so `ip netns exec` and the bus socket keep working); the store directory is then
# made on that tmpfs, and gets a tmpfs of its own. Nothing here is visible outside the namespace.
# Usage: private-store.sh STAGE (an empty directory of the test's own; left empty afterwards).
set -eu
. "$(dirname "$0")/../../../scripts/lib/bind-back.sh"
stage=$1
mount -n -t tmpfs -o mode=0700 gnpk-stage "$stage"
for parent in /etc /var/lib /run; do
  orig="$stage/orig$(printf %s "$parent" | tr / _)"
  mkdir "$orig"
  mount -n --rbind "$parent" "$orig"
  mount -n -t tmpfs -o mode=0755 gnpk-parent "$parent"
  # The machine's own store directory, if it has one, is never bound in: the test's tmpfs takes its place.
  bind_back "$orig" "$parent" guestnet
  mkdir -p "$parent/guestnet"
  mount -n -t tmpfs -o mode=0755 gnpk-store "$parent/guestnet"
done
umount -R -n "$stage"
