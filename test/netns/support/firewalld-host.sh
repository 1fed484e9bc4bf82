#!/bin/sh
# Runs inside a test's own mount namespace (nsenter --mount=FILE): gives it a firewalld of its own
# without installing one. /etc, /usr/lib and /run become tmpfs mounts with every entry of the real
# ones bound back except /etc/firewalld, /usr/lib/firewalld and /run/dbus, which are made afresh: the
# configuration from the unpacked Debian package, an empty bus directory. Nothing is visible outside.
# Usage: firewalld-host.sh STAGE PKGROOT [ZONEFILE]  (STAGE: an empty directory of the test's own;
# ZONEFILE: installed as the zone `guestnet`, as the .deb's postinst does).
set -eu
. "$(dirname "$0")/../../../scripts/lib/bind-back.sh"
stage=$1
pkg=$2
mount -n -t tmpfs -o mode=0700 gnfw-stage "$stage"
for pair in /etc:firewalld /usr/lib:firewalld /run:dbus; do
  dir=${pair%%:*}
  skip=${pair#*:}
  new="$stage/new$(printf %s "$dir" | tr / _)"
  mkdir "$new"
  mount -n -t tmpfs -o mode=0755 gnfw-tree "$new"
  # Built aside and moved in whole: /usr/lib holds the libraries mkdir and mount themselves need.
  bind_back "$dir" "$new" "$skip"
  mkdir "$new/$skip"
  mount -n --move "$new" "$dir"
done
cp -a "$pkg/etc/firewalld/." /etc/firewalld/
cp -a "$pkg/usr/lib/firewalld/." /usr/lib/firewalld/
if [ -n "${3:-}" ]; then cp "$3" /usr/lib/firewalld/zones/guestnet.xml; fi
umount -n "$stage"
