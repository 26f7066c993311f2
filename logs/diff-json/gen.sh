# the two --json reports diff reads back
set -e
"$TICKS" --no-symbols --json ../diff-slowdown/base.log.gz >"$1/base.json"
"$TICKS" --no-symbols --json ../diff-slowdown/new.log.gz >"$1/new.json"
