#!/bin/sh
# gen.sh OUTDIR: hostile.log, a synthetic V8 11 log whose names hold what
# an output must not pass raw: ESC/BEL (terminal escapes), NUL, tab,
# newline, ';', a C1 control (U+009B), U+2028/U+2029, raw bytes that are
# not UTF-8, "</script>", "<!--", quotes and backslashes; a library whose
# path holds an OSC title sequence (read, so its warning quotes it).
# Two names differ only after a NUL (a folded stack must not merge them).
# printf writes the raw bytes; V8's own escapes are left as text.
set -eu
out=$1
{
	printf 'v8-version,11,3,244,8,-node.38,0\n'
	printf 'shared-library,/nonexistent/lib\\x1b]0;pwned\\x07.so,0x7f0000000000,0x7f0000100000,0\n'
	printf 'code-creation,JS,10,100,0x3e0000001000,256,nul\\x00a /app/x\\x1b[2J.js:1:1,0x3e0000009000,*\n'
	printf 'code-creation,JS,10,101,0x3e0000002000,256,nul\\x00b /app/x\\x1b[2J.js:2:1,0x3e000000a000,*\n'
	printf 'code-creation,JS,10,102,0x3e0000003000,256,semi;colon tab\\x09nl\\nname /app/b;c.js:3:1,0x3e000000b000,~\n'
	printf 'code-creation,JS,10,103,0x3e0000004000,256,raw\377bytes\303( /app/d\300\200.js:1:1,0x3e000000c000,~\n'
	printf 'code-creation,JS,10,104,0x3e0000005000,256,x</script><!--<b>"q"\\\\back /app/e.js:1:1,0x3e000000d000,~\n'
	printf 'code-creation,JS,10,105,0x3e0000006000,256,ls\\u2028ps\\u2029c1\\x9bdel\\x7f /app/f.js:1:1,0x3e000000e000,~\n'
	printf 'code-creation,RegExp,3,106,0x3e0000007000,64,[\\\\x00-\\\\x1f]\\x1b[0m\n'
	printf 'profiler,begin,1000\n'
	t=1000
	for s in "0x3e0000001010" "0x3e0000002010" "0x3e0000003010,0x3e0000001020" \
		"0x3e0000004010,0x3e0000003020" "0x3e0000005010,0x3e0000002020" \
		"0x3e0000006010" "0x3e0000007010,0x3e0000006020" "0x7f0000000100,0x3e0000005020" \
		"0x3e0000001010" "0x3e0000003010,0x3e0000002020"; do
		t=$((t + 1000))
		pc=${s%%,*}
		rest=
		case $s in *,*) rest=,${s#*,} ;; esac
		printf 'tick,%s,%d,0,0x0,0%s\n' "$pc" "$t" "$rest"
	done
} >"$out/hostile.log"
