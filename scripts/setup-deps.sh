#!/usr/bin/env bash
# Installs the Debian 12 packages dnnchip needs, and only those that are missing.
# Idempotent: a second run calls no apt-get at all. Used by `make run`, `make test` and CI.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config git ccache
  libboost-graph-dev libcli11-dev nlohmann-json3-dev libtbb-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev
  libonnx-dev libprotobuf-dev protobuf-compiler
  verilator iverilog yosys nextpnr-ice40 fpga-icestorm graphviz
  python3 python3-numpy python3-torch python3-torchvision python3-onnx
  chromium
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "setup-deps: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
