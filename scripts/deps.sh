#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the Debian 12 packages Benchdeck needs to build, test and demo, skipping those already
# present. Sourced by demo.sh and test.sh; runs apt-get as root or through sudo.
set -euo pipefail

BENCHDECK_PACKAGES=(
  # build
  cmake g++ make pkg-config
  # qt6-charts-dev's CMake config needs Qt6OpenGL, whose -dev package Debian does not pull in
  qt6-base-dev qt6-charts-dev libqt6opengl6-dev qt6-svg-dev
  libcurl4-openssl-dev libsqlite3-dev libhttp-parser-dev libssl-dev libnghttp2-dev
  # OpenAPI documents written in YAML, for scenario import
  libyaml-dev
  # tests: an HTTP/2 server and a certificate for the TLS and h2 cases
  nghttp2-server openssl ca-certificates poppler-utils
  # tests: nginx speaks HTTP/2 in front of the calibration target for the HTTP/2 validity checks
  nginx-light
  # tests: children that allocate memory and burn CPU for the server-resource sampler
  python3
  # tests: the live export scraped by the real Prometheus and pushed to the real Pushgateway
  prometheus prometheus-pushgateway
  # tests: scale-out agents in podman containers on a debootstrapped base (runc: crun refuses hybrid
  # cgroup hosts), and the Kubernetes manifest checked against the API models
  podman runc debootstrap python3-kubernetes python3-yaml
  # tests: a decimal-comma locale (de_DE.UTF-8) for the locale-independence test
  locales
  # packaging: CPack's .deb Depends (dpkg-shlibdeps) and the package_install checks
  appstream desktop-file-utils dpkg-dev lintian
)

# The locale test runs Benchdeck under de_DE.UTF-8 (decimal comma); Debian ships it ungenerated.
benchdeck_ensure_locale() {
  locale -a 2>/dev/null | grep -qix 'de_DE.utf8' && return 0
  local sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  "${sudo[@]}" sed -i 's/^# *\(de_DE.UTF-8 UTF-8\)/\1/' /etc/locale.gen
  grep -q '^de_DE.UTF-8 UTF-8' /etc/locale.gen || echo 'de_DE.UTF-8 UTF-8' | "${sudo[@]}" tee -a /etc/locale.gen >/dev/null
  "${sudo[@]}" locale-gen >/dev/null
}

benchdeck_install_deps() {
  benchdeck_install_deps_packages
  benchdeck_ensure_locale
}

benchdeck_install_deps_packages() {
  local missing=()
  for package in "${BENCHDECK_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  echo "Installing: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Configures and builds into $BUILD_DIR (default: build/ at the repository root), Release.
benchdeck_build() {
  local root build_dir
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  build_dir=${BUILD_DIR:-$root/build}
  cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
  cmake --build "$build_dir" -j "$(nproc)"
}
