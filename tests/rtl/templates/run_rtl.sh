#!/usr/bin/env bash
# Runs one rtl test step. A missing tool exits 77 (ctest: skipped) unless CI=true, where it fails.
# Modes:
#   tb <work> <tb.v> <files...>           Icarus: compile and run a self-checking testbench
#   lint <files...>                       verilator --lint-only -Wall on each template alone
#   synth <work> <xilinx|ice40> <tpl>     Yosys synthesis of dnnchip_engine, no latches
#   engine <harness> <args...>            engine co-simulation (engine_harness)
set -u
need() {
  for t in "$@"; do
    if ! command -v "$t" >/dev/null 2>&1; then
      if [ "${CI:-}" = "true" ]; then echo "FAIL: $t not found (CI=true)"; exit 1; fi
      echo "SKIP: $t not found"; exit 77
    fi
  done
}
mode=$1; shift
case "$mode" in
  tb)
    need iverilog vvp
    work=$1; tb=$2; shift 2
    name=$(basename "$tb" .v)
    mkdir -p "$work"
    iverilog -g2005 -Wall -o "$work/$name.vvp" "$tb" "$@" || { echo "FAIL: compile"; exit 1; }
    cp "$(dirname "$tb")/$name"_*.hex "$work"/ 2>/dev/null
    out=$(cd "$work" && vvp -n "$work/$name.vvp")
    rc=$?
    echo "$out"
    [ $rc -eq 0 ] || exit 1
    echo "$out" | grep -q "FAIL" && exit 1
    echo "$out" | grep -q "PASS" || exit 1
    ;;
  lint)
    need verilator
    rc=0
    for f in "$@"; do
      top=$(basename "$f" .v)
      dir=$(dirname "$f")
      extra=""
      case "$top" in
        systolic_ws|systolic_os) extra="$dir/mac_pe.v" ;;
        dnnchip_engine) extra="$dir/controller.v $dir/dma_axi.v $dir/buffer_dp.v $dir/acc_buffer.v $dir/vector_unit.v $dir/residual_add.v $dir/systolic_ws.v $dir/systolic_os.v $dir/mac_pe.v" ;;
      esac
      if verilator --lint-only -Wall --top-module "$top" "$f" $extra; then
        echo "lint ok: $top"
      else
        echo "FAIL: lint $top"; rc=1
      fi
      if [ "$top" = dnnchip_engine ]; then
        for p in "-GDATAFLOW=1" "-GDOUBLE_BUFFER=1 -GROWS=3 -GCOLS=5 -GDATA_W=32" "-GDATAFLOW=1 -GDATA_W=128 -GROWS=8 -GCOLS=2"; do
          verilator --lint-only -Wall --top-module "$top" $p "$f" $extra || { echo "FAIL: lint $top $p"; rc=1; }
        done
      fi
    done
    [ $rc -eq 0 ] && echo PASS
    exit $rc
    ;;
  synth)
    need yosys
    work=$1; target=$2; tpl=$3
    mkdir -p "$work"
    files="$tpl/dnnchip_engine.v $tpl/controller.v $tpl/dma_axi.v $tpl/buffer_dp.v $tpl/acc_buffer.v $tpl/vector_unit.v $tpl/residual_add.v $tpl/systolic_ws.v $tpl/systolic_os.v $tpl/mac_pe.v"
    printf "%0128d\n" 0 > "$work/program.hex"   # the controller $readmemh-s it (End only)
    case "$target" in
      xilinx) synth="synth_xilinx -family xc7 -top dnnchip_engine" ;;
      ice40)  synth="synth_ice40 -dsp -top dnnchip_engine" ;;
    esac
    # Small parameters: 2x2 array, small buffers; the weight-stationary array for xc7, the
    # output-stationary one for iCE40 (each run takes about a minute of CPU).
    df=0; [ "$target" = ice40 ] && df=1
    log="$work/synth_${target}_$df.log"
    script="read_verilog -defer $files; chparam -set ROWS 2 -set COLS 2 -set DATAFLOW $df -set ACT_DEPTH 16 -set ACC_DEPTH 32 -set PROG_DEPTH 4 dnnchip_engine; hierarchy -top dnnchip_engine; proc; check -assert; select -assert-none t:\$dlatch; $synth; select -assert-none t:\$_DLATCH_*; stat"
    if ! (cd "$work" && yosys -q -l "$log" -p "$script" > /dev/null 2>&1); then
      echo "FAIL: yosys $target DATAFLOW=$df (see $log)"; tail -20 "$log"; exit 1
    fi
    grep -E "Number of cells|DSP48|SB_MAC16|RAMB|SB_RAM|LUT|FD" "$log" | tail -12
    echo PASS
    ;;
  engine)
    need iverilog vvp
    case " $* " in *" verilator "*) need verilator ;; esac
    harness=$1; shift
    "$harness" "$@"
    ;;
  *) echo "unknown mode $mode"; exit 2 ;;
esac
