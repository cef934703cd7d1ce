#!/bin/sh
# Lints the generated RTL with every Verilator warning enabled (must be clean).
set -e
cd "$(dirname "$0")/.."
verilator --lint-only -Wall --top-module dnnchip_top -f filelist.f
