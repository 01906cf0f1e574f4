#!/usr/bin/env bash
# Prints, one per line, the Debian packages that hold the shared libraries
# the given binaries load (the C library and the dynamic loader included),
# for the runtime stage of the Dockerfile. Fails if a library belongs to no
# package, so a hand-built library cannot slip into an image unnoticed.
#
#   deploy/containers/runtime-packages.sh BINARY...
set -euo pipefail
[[ $# -gt 0 ]] || { echo "usage: $0 BINARY..." >&2; exit 2; }
libraries="$(ldd "$@" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// && $1 !~ /:$/ {print $1}' | sort -u)"
for library in $libraries; do
  # With merged /usr a library may be listed under /lib or /usr/lib: try the
  # path ldd gives, then its resolved and its other spelling.
  resolved="$(readlink -f "$library")"
  owner=""
  for candidate in "$library" "$resolved" "/usr$library" "${library#/usr}" "/usr$resolved" "${resolved#/usr}"; do
    owner="$(dpkg-query -S "$candidate" 2>/dev/null | head -n1 | cut -d: -f1)" && [[ -n "$owner" ]] && break
  done
  [[ -n "$owner" ]] || { echo "runtime-packages.sh: no package owns $library" >&2; exit 1; }
  echo "$owner"
done | sort -u
