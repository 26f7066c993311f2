#!/bin/sh
# make check-layers: the layering of src/ (README, "Layers"). Each folder
# of src/ is a layer with a rank; a file may include headers of its own
# folder and of folders of lower rank only, always path-qualified
# ("base/util.h"); the public "ticks.h" (include/) is open to all. Folders
# of one rank (input and symbols; preprocess and report) are siblings and
# may not include each other. The module graph (a module is X.c with
# X.h and X_*.h of its folder) has no cycle (tsort finds one).
# Exit 0 when clean, 1 naming every upward, sideways, unqualified include
# or cycle.
cd "$(dirname "$0")/.." || exit 2
# Known exceptions, "file:header" each, to be emptied (each prints, but
# does not fail): none may be added.
KNOWN=""
RANKS="base:0 input:1 symbols:1 model:2 js:3 ingest:4 preprocess:5 report:5 out:6 cli:7"
rank() {
	for r in $RANKS; do
		[ "${r%%:*}" = "$1" ] && { echo "${r#*:}"; return; }
	done
	echo ""
}
bad=0
edges=$(mktemp "${TMPDIR:-/tmp}/ticks-layers.XXXXXX") || exit 2
trap 'rm -f "$edges"' EXIT
for dir in src/*/; do
	layer=$(basename "$dir")
	me=$(rank "$layer")
	if [ -z "$me" ]; then
		echo "check-layers: src/$layer/ is no layer (add it to RANKS in $0)"
		bad=1
		continue
	fi
	for f in "$dir"*.c "$dir"*.h; do
		[ -e "$f" ] || continue
		mod="$layer/$(basename "$f" | sed 's/\.[ch]$//; s/_int$//')"
		grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" |
			sed 's/^\([0-9]*\):.*"\([^"]*\)".*/\1 \2/' >"$edges.inc"
		while read -r line inc; do
			case $inc in
			ticks.h) continue ;;
			*/*) ;;
			*)
				echo "$f:$line: #include \"$inc\" is not path-qualified (folder/header.h)"
				bad=1
				continue
				;;
			esac
			to=${inc%%/*}
			them=$(rank "$to")
			if [ -z "$them" ] || [ ! -e "src/$inc" ]; then
				echo "$f:$line: #include \"$inc\": no such header in src/"
				bad=1
				continue
			fi
			case " $KNOWN " in *" $f:$inc "*)
				echo "$f:$line: #include \"$inc\": known exception (KNOWN in $0)"
				continue ;;
			esac
			if [ "$to" != "$layer" ]; then
				if [ "$them" -gt "$me" ]; then
					echo "$f:$line: #include \"$inc\" goes up: $layer (rank $me) may not include $to (rank $them)"
					bad=1
				elif [ "$them" -eq "$me" ]; then
					echo "$f:$line: #include \"$inc\" goes sideways: $layer and $to are siblings (rank $me)"
					bad=1
				fi
			fi
			tomod=$(echo "$inc" | sed 's/\.h$//; s/_int$//')
			[ "$tomod" = "$mod" ] || echo "$mod $tomod" >>"$edges"
		done <"$edges.inc"
	done
done
rm -f "$edges.inc"
if ! sort -u "$edges" | tsort >/dev/null 2>"$edges.err"; then
	echo "check-layers: the module graph has a cycle:"
	sed 's/^tsort: /  /' "$edges.err"
	bad=1
fi
rm -f "$edges.err"
[ $bad = 0 ] && echo "check-layers: $(ls src/*/*.[ch] | wc -l) files in $(ls -d src/*/ | wc -l) layers, no upward include, no cycle"
exit $bad
