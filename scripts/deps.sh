#!/bin/sh
# Installs the Debian packages lockstep needs to build and test, if missing.
# Runs apt-get update first. Needs root (or sudo).
set -e
PKGS="build-essential pkg-config cmake libigraph-dev libzstd-dev zstd zlib1g-dev libcsv-dev \
libxxhash-dev libssl-dev libgsl-dev libcmocka-dev libsimdjson-dev g++ clang-14 libclang-rt-14-dev python3 python3-networkx r-cran-igraph"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "lockstep: installing Debian packages:$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
