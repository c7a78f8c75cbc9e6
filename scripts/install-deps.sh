#!/usr/bin/env bash
# Installs every Debian 12 package that building, running and testing sitrep needs.
# Safe to run again: apt-get skips what is already there. Needs root (or sudo).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates lld ccache
  libgrpc++-dev libgrpc-dev protobuf-compiler protobuf-compiler-grpc libprotobuf-dev
  libpqxx-dev libpq-dev postgresql-15 postgresql-client-15
  prometheus-cpp-dev prometheus
  libgtest-dev libgmock-dev googletest
  nlohmann-json3-dev libcli11-dev
  libboost1.74-dev
  libcurl4-openssl-dev
  libssl-dev openssl
  clang-format
  python3 python3-jsonschema
  chromium fonts-noto-cjk
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

# The web console builds with npm (vite 8 needs Node.js >= 20): Debian's nodejs only where the
# machine has no node of its own, so a newer one already installed is kept.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then missing+=(nodejs npm); fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
