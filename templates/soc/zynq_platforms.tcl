# The Zynq platforms the SoC block design (vivado_bd.tcl) targets: part, processing-system kind,
# the bus address of the register window and the memory region the runtime uses. Data, not code:
# templates/runtime/dnnchip_zynq.h holds the same addresses for the C runtime, and
# tests/rtl/soc/vivado_dryrun.tcl checks that the two agree.
#   part:     designs/platforms/<name>.json "device"
#   reg_base: the first address Vivado's address editor hands out on the PS general-purpose
#             master: Zynq-7000 M_AXI_GP0 covers 0x4000_0000-0x7FFF_FFFF (UG585, "System
#             Addresses"), Vivado's default for the first peripheral is 0x43C0_0000; ZynqMP
#             M_AXI_HPM0_FPD covers 0xA000_0000-0xAFFF_FFFF (UG1085, "Global System Address Map").
#             A 4 KiB window.
#   mem_base, mem_bytes: a choice, not a measurement: the top 64 MiB of the board's PS DDR
#             (PYNQ-Z1 512 MiB, ZC706 1 GiB PS DDR3 per UG954, Ultra96-V2 2 GiB LPDDR4 per the
#             Avnet hardware user guide), which Linux must be told not to use (a reserved-memory
#             node in the device tree, docs/soc.md#zynq-walk-through). The HP ports see PS DDR
#             at the same addresses as the CPUs.
set dnnchip_zynq_platforms {
  pynq_z1 {part xc7z020clg400-1 ps zynq7 reg_base 0x43C00000 mem_base 0x1C000000 mem_bytes 0x04000000}
  zc706 {part xc7z045ffg900-2 ps zynq7 reg_base 0x43C00000 mem_base 0x3C000000 mem_bytes 0x04000000}
  ultra96 {part xczu3eg-sbva484-1-i ps zynqmp reg_base 0xA0000000 mem_base 0x7C000000 mem_bytes 0x04000000}
}
