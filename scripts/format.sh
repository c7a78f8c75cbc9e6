#!/usr/bin/env bash
# Formats the C++ sources with the repo's .clang-format.
#   scripts/format.sh        rewrite files in place
#   scripts/format.sh check  exit 1 and list the files that are not formatted
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files -co --exclude-standard -- '*.h' '*.cc')
if [ "${1:-fix}" = "check" ]; then
  unformatted=()
  for file in "${files[@]}"; do
    if ! clang-format --style=file "$file" | cmp -s - "$file"; then unformatted+=("$file"); fi
  done
  if [ ${#unformatted[@]} -gt 0 ]; then
    echo "format: not formatted (run scripts/format.sh): ${unformatted[*]}"
    exit 1
  fi
  echo "format: ${#files[@]} files formatted"
else
  clang-format --style=file -i "${files[@]}"
fi
