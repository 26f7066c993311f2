#!/bin/sh
# ticks record on the machine's node (record.inc.sh).
set -u
command -v node >/dev/null 2>&1 || { echo "no node: ticks record not tested"; exit 77; }
. "$(cd "$(dirname "$0")" && pwd)/record.inc.sh"
