#!/bin/sh
out=$1; shift
echo "args: $*" > "$out"
