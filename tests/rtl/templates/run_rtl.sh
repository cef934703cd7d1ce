#!/usr/bin/env bash
# Runs one rtl test step. A missing tool exits 77 (ctest: skipped) unless CI=true, where it fails.
# Modes:
#   tb <work> <tb.v> <files...>           Icarus: compile and run a self-checking testbench
#   lint <files...>                       verilator --lint-only -Wall on each template alone
#   synth <work> <xilinx|ice40> <tpl>     Yosys synthesis of dnnchip_engine, no latches
#   engine <harness> <args...>            engine co-simulation (engine_harness)
#   netlist <work> <tpl> <dsp|behavioural> Yosys synth_xilinx -family xcup of the packed 16x4
#                                         systolic_ws: the PE must be one DSP48E2 with PREG = 1 on
#                                         the PCOUT->PCIN cascade, no fabric adder per PE;
#                                         xc7 | xc7_nodsp: -family xc7 of the unpacked 4x4 array,
#                                         each PE one DSP48E1 with PREG = 1, no CARRY4
#   depth <work> <dnnchip> <depth_chain.v> <N> <expected>  Yosys synth_xilinx -family xcup of a
#                                         chain of N LUT6 between registers, then the logic-depth
#                                         proxy (dnnchip synth --netlist) must report <expected> levels
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
        systolic_ws) extra="$dir/mac_pe.v $dir/mac_pe_pack2.v" ;;
        systolic_os) extra="$dir/mac_pe.v" ;;
        pool_unit|dw_unit) extra="$dir/buffer_dp.v" ;;
        dnnchip_soc) extra="$dir/../dnnchip_engine.v $dir/../controller.v $dir/../dma_axi.v $dir/../buffer_dp.v $dir/../acc_buffer.v $dir/../vector_unit.v $dir/../residual_add.v $dir/../pool_unit.v $dir/../dw_unit.v $dir/../softmax_unit.v $dir/../systolic_ws.v $dir/../systolic_os.v $dir/../mac_pe.v $dir/../mac_pe_pack2.v" ;;
        dnnchip_engine) extra="$dir/controller.v $dir/dma_axi.v $dir/buffer_dp.v $dir/acc_buffer.v $dir/vector_unit.v $dir/residual_add.v $dir/pool_unit.v $dir/dw_unit.v $dir/softmax_unit.v $dir/systolic_ws.v $dir/systolic_os.v $dir/mac_pe.v $dir/mac_pe_pack2.v" ;;
      esac
      if verilator --lint-only -Wall --top-module "$top" "$f" $extra; then
        echo "lint ok: $top"
      else
        echo "FAIL: lint $top"; rc=1
      fi
      if [ "$top" = systolic_ws ]; then
        for p in "-GPACK=2 -GROWS=16 -GCOLS=8" "-GPACK=2 -GROWS=1 -GCOLS=2 -GBANKS=1" "-GWSKEW=1 -GROWS=3 -GCOLS=5" "-GWSKEW=1 -GPACK=2 -GROWS=16 -GCOLS=32"; do
          verilator --lint-only -Wall --top-module "$top" $p "$f" $extra || { echo "FAIL: lint $top $p"; rc=1; }
        done
      fi
      if [ "$top" = vector_unit ]; then  # the 27-bit operand and the fabric multiplier (RQ_LUT)
        for p in "-GRQ_W=27" "-GRQ_LUT=1 -GRQ_W=27 -GLANES=8 -GKT=16 -GACT=2" "-GRQ_LUT=1"; do
          verilator --lint-only -Wall --top-module "$top" $p "$f" $extra || { echo "FAIL: lint $top $p"; rc=1; }
        done
      fi
      if [ "$top" = residual_add ]; then
        verilator --lint-only -Wall --top-module "$top" -GMUL=1 -GLANES=32 "$f" $extra || { echo "FAIL: lint $top MUL=1"; rc=1; }
      fi
      if [ "$top" = dnnchip_soc ]; then
        for p in "-GDATA_W=32 -GPROG_DEPTH=16" "-GDATA_W=512 -GDATAFLOW=1" "-GDOUBLE_BUFFER=1 -GDATA_W=128 -GPROG_DEPTH=960" "-GPOOL_DEPTH=16 -GW_GROUP=4 -GDOUBLE_BUFFER=1 -GMEM_LO=33'h10000000 -GMEM_HI=33'h20000000"; do
          verilator --lint-only -Wall --top-module "$top" $p "$f" $extra || { echo "FAIL: lint $top $p"; rc=1; }
        done
      fi
      if [ "$top" = dnnchip_engine ]; then
        for p in "-GPACK=2 -GROWS=4 -GCOLS=8" "-GDATAFLOW=1" "-GDOUBLE_BUFFER=1 -GROWS=3 -GCOLS=5 -GDATA_W=32" "-GDATAFLOW=1 -GDATA_W=128 -GROWS=8 -GCOLS=2" "-GACT=1 -GDATAFLOW=1" "-GACT=2 -GDATA_W=32" "-GACT=2 -GDATA_W=512 -GROWS=3 -GCOLS=5 -GDOUBLE_BUFFER=1" "-GPOOL_DEPTH=224 -GCOLS=8 -GDOUBLE_BUFFER=1" "-GPOOL_DEPTH=1 -GDATAFLOW=1 -GACT=2" "-GMUL=1 -GDOUBLE_BUFFER=1 -GCOLS=8" "-GMUL=1 -GFUSE_ADD=0 -GDATAFLOW=1" "-GRQ_W=27 -GRQ_LUT=1 -GCOLS=8" "-GWSKEW=1 -GPACK=2 -GDOUBLE_BUFFER=1 -GCOLS=8"; do
          verilator --lint-only -Wall --top-module "$top" $p "$f" $extra || { echo "FAIL: lint $top $p"; rc=1; }
        done
      fi
    done
    [ $rc -eq 0 ] && echo PASS
    exit $rc
    ;;
  synth)
    need yosys
    work=$1; target=$2; tpl=$3; act=${4:-0}   # act: the engine's ACT (activation unit)
    wg=${5:-0}   # W_GROUP > 0: the double-buffered WS engine with weight streams of wg blocks
    mkdir -p "$work"
    files="$tpl/dnnchip_engine.v $tpl/controller.v $tpl/dma_axi.v $tpl/buffer_dp.v $tpl/acc_buffer.v $tpl/vector_unit.v $tpl/residual_add.v $tpl/pool_unit.v $tpl/systolic_ws.v $tpl/systolic_os.v $tpl/mac_pe.v $tpl/mac_pe_pack2.v"
    printf "%0128d\n" 0 > "$work/program.hex"   # the controller $readmemh-s it (End only)
    top=dnnchip_engine; depth=4
    # the SoC top: its program memory (PROG_DEPTH 256 of 832-bit words, written by the fetch) must
    # become block RAM, not LUT RAM or flip-flops
    [ "$target" = soc ] && { top=dnnchip_soc; depth=256; files="$tpl/soc/dnnchip_soc.v $files"; }
    case "$target" in
      xilinx|soc) synth="synth_xilinx -family xc7 -top $top" ;;
      ice40)  synth="synth_ice40 -dsp -top dnnchip_engine" ;;
    esac
    # Small parameters: 2x2 array, small buffers; the weight-stationary array for xc7, the
    # output-stationary one for iCE40 (each run takes about a minute of CPU).
    df=0; [ "$target" = ice40 ] && df=1
    log="$work/synth_${target}_${df}_act$act.log"
    extra=""; [ "$target" = soc ] && extra="select -assert-min 12 t:RAMB36E1; select -assert-none t:RAM64M;"
    wgp=""; [ "$wg" -gt 0 ] && { wgp="-set DOUBLE_BUFFER 1 -set W_GROUP $wg"; log="$work/synth_${target}_${df}_act${act}_wg$wg.log"; }
    script="read_verilog -defer $files; chparam -set ROWS 2 -set COLS 2 -set DATAFLOW $df -set ACT_DEPTH 16 -set ACC_DEPTH 32 -set PROG_DEPTH $depth -set ACT $act $wgp $top; hierarchy -top $top; proc; check -assert; select -assert-none t:\$dlatch; $synth; select -assert-none t:\$_DLATCH_*; $extra stat"
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
  netlist)
    need yosys
    work=$1; tpl=$2; variant=$3
    mkdir -p "$work"
    if [ "$variant" = xc7 ] || [ "$variant" = xc7_nodsp ]; then
      # xc7 (DSP48E1, PACK = 1): each PE p <= c + a*b is one DSP48E1; rows 1.. keep the post-adder
      # and PREG inside, the partial sum on the PCOUT->PCIN cascade; no fabric carry (adder) at
      # all. Row 0 (c = 0, p <= a*b): Yosys 0.23 leaves some of its p registers in the fabric
      # (DSP with neither MREG nor PREG), at most C of them. xc7_nodsp (synth_xilinx -nodsp:
      # every PE a fabric multiplier and adder) must fail. (r:PREG>0: inferred cells hold 1-bit
      # parameter values, which r:PREG=1 does not match.)
      R=4; C=4; NPE=$((R * C)); NCASC=$(((R - 1) * C)); opt=""
      [ "$variant" = xc7_nodsp ] && opt="-nodsp"
      log="$work/netlist_$variant.log"
      script="read_verilog $tpl/systolic_ws.v $tpl/mac_pe.v $tpl/mac_pe_pack2.v;
        chparam -set ROWS $R -set COLS $C -set PACK 1 systolic_ws;
        synth_xilinx -family xc7 $opt -flatten -top systolic_ws; stat;
        select -assert-count $NPE t:DSP48E1;
        select -assert-count $NCASC t:DSP48E1 r:PREG>0 %i;
        select -assert-max $C t:DSP48E1 r:PREG<1 %i r:MREG<1 %i;
        select -assert-count $NCASC t:DSP48E1 %co:+[PCOUT] t:DSP48E1 %d %co:+[PCIN] t:DSP48E1 %i;
        select -assert-none t:CARRY4;
        select -assert-none t:\$_DLATCH_*"
      if ! (cd "$work" && yosys -q -l "$log" -p "$script" > /dev/null 2>&1); then
        grep -E "Assertion|ERROR" "$log" | head -5
        echo "FAIL: netlist of the xc7 array ($variant, see $log)"; exit 1
      fi
      echo "PASS netlist $variant: $NPE DSP48E1 ($NCASC with PREG on the PCOUT->PCIN cascade), no CARRY4"
      exit 0
    fi
    R=16; C=4; NPE=$((R * C / 2)); NCASC=$(((R - 1) * C / 2)); NCARRY=$((C / 2 * 7))
    def=""; skew=0
    [ "$variant" = dsp ] && def="-DDNNCHIP_DSP48E2"
    [ "$variant" = dsp_wskew ] && def="-DDNNCHIP_DSP48E2" && skew=1
    log="$work/netlist_$variant.log"
    # NCARRY: the bottom extraction, hi = p[37:19] + p[18] per pair (19 bits, 5 CARRY4s), and the
    # weights' entry, w_hi - (w_lo < 0) per pair (8 bits, 2 CARRY4s); none per PE. The PE takes
    # its activation and bank bit into the DSP's registers (BREG = 1, INMODEREG = 1).
    script="read_verilog $def $tpl/systolic_ws.v $tpl/mac_pe.v $tpl/mac_pe_pack2.v;
      chparam -set ROWS $R -set COLS $C -set PACK 2 -set WSKEW $skew systolic_ws;
      synth_xilinx -family xcup -flatten -top systolic_ws; stat;
      select -assert-count $NPE t:DSP48E2;
      select -assert-count $NPE t:DSP48E2 r:PREG=1 %i r:MREG=0 %i r:AMULTSEL=AD %i r:BREG=1 %i r:INMODEREG=1 %i;
      select -assert-count $NCASC t:DSP48E2 %co:+[PCOUT] t:DSP48E2 %d %co:+[PCIN] t:DSP48E2 %i;
      select -assert-max $NCARRY t:CARRY4 t:CARRY8 %u;
      select -assert-none t:\$_DLATCH_*"
    if ! (cd "$work" && yosys -q -l "$log" -p "$script" > /dev/null 2>&1); then
      grep -E "Assertion|ERROR" "$log" | head -5
      echo "FAIL: netlist of the packed array ($variant, see $log)"; exit 1
    fi
    grep -E "DSP48E2|CARRY|FDRE|LUT|SRL" "$log" | tail -8
    echo "PASS netlist $variant: $NPE DSP48E2 (PREG=1), $NCASC on the PCOUT->PCIN cascade"
    ;;
  depth)
    need yosys
    work=$1; bin=$2; src=$3; n=$4; expected=$5
    mkdir -p "$work"
    log="$work/depth_$n.log"
    if ! (cd "$work" && yosys -q -l "$log" -p "read_verilog $src; chparam -set N $n depth_chain;
          synth_xilinx -family xcup -flatten -top depth_chain; write_json depth_$n.json" > /dev/null 2>&1); then
      echo "FAIL: yosys on depth_chain (see $log)"; exit 1
    fi
    out=$("$bin" synth --netlist "$work/depth_$n.json" --top depth_chain --platform ultra96 --clock 300)
    echo "$out"
    echo "$out" | grep -q "^logic depth (register to register): $expected levels ($n LUT" ||
      { echo "FAIL: expected $expected levels through $n LUT6"; exit 1; }
    echo "PASS depth: $expected levels"
    ;;
  *) echo "unknown mode $mode"; exit 2 ;;
esac
