#!/bin/sh
# the synthetic-elf log, reported as JSON (pins the ticks/1 schema)
exec sh ../synthetic-elf/gen.sh "$1"
