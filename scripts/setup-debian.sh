#!/usr/bin/env bash
# Installs what a fresh Debian 12 / Ubuntu machine lacks to build, run and test guestnet (run as root).
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive ELECTRON_SKIP_BINARY_DOWNLOAD=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ "$(id -u)" != 0 ]; then
  echo "setup-debian.sh installs packages with apt-get: run it as root (sudo $0)" >&2
  exit 3
fi
# guestnet drives: iproute2, nftables, dnsmasq-base (procps for sysctl checks).
# Namespace tests and the demo's guests: busybox (udhcpc, nc, httpd, nslookup), ndisc6, iperf3; iptables for the doctor's Docker-style tests.
# Real-guest tests: qemu-system-x86 (TCG; the guest kernel and static busybox are fetched with apt-get download).
# Elevation tests (test/pkexec): pkexec, polkitd and dbus (the system bus), real ones, started by the suite when absent.
# firewalld tests: python3-dbus and python3-gi, which firewalld imports; firewalld itself is never installed
# (test/netns/support/firewalld.ts unpacks Debian's package into a cache and runs it in the test's namespaces).
# GUI tests: chromium (Playwright drives Debian's build), xvfb + xauth (headed runs), fonts.
apt-get update -q
apt-get install -y -q --no-install-recommends \
  iproute2 nftables dnsmasq-base procps \
  busybox ndisc6 iperf3 qemu-system-x86 iptables \
  pkexec polkitd dbus python3-dbus python3-gi \
  chromium xvfb xauth fonts-dejavu-core ca-certificates
npm ci --no-audit --no-fund
