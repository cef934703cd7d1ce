# Vivado block design of the SoC top on a Zynq (docs/soc.md#zynq-walk-through). Run from the
# generated design folder:  vivado -mode batch -source soc/vivado_bd.tcl [-tclargs bitstream]
# It creates vivado_soc/ with the project: the processing system (Zynq-7000 processing_system7 or
# Zynq UltraScale+ zynq_ultra_ps_e), dnnchip_soc_top as a module reference, its AXI4 master on the
# high-performance port (S_AXI_HP0 / S_AXI_HP0_FPD) and its AXI4-Lite slave on the general-purpose
# master (M_AXI_GP0 / M_AXI_HPM0_FPD) through SmartConnects (which supply the AXI4 signals the
# engine leaves out: ID, cache, prot, lock, qos), the interrupt on IRQ_F2P / pl_ps_irq0, one fabric
# clock at the design's clock and its reset; the register window at the platform's reg_base
# (soc/zynq_platforms.tcl, the same numbers as runtime/dnnchip_zynq.h). With "bitstream" it also
# runs synthesis, implementation and write_bitstream and exports the hardware (.xsa).
set here [file dirname [file normalize [info script]]]
set root [file dirname $here]
source [file join $here platform.tcl]          ;# generated: dnnchip_platform, dnnchip_clock_mhz, dnnchip_data_bits
source [file join $here zynq_platforms.tcl]
if {![dict exists $dnnchip_zynq_platforms $dnnchip_platform]} {
  error "dnnchip: platform '$dnnchip_platform' has no Zynq block design; set dnnchip_platform in soc/platform.tcl to one of [dict keys $dnnchip_zynq_platforms]"
}
set pf [dict get $dnnchip_zynq_platforms $dnnchip_platform]
set ps_kind [dict get $pf ps]

create_project dnnchip_soc [file join $root vivado_soc] -part [dict get $pf part] -force
set fl [open [file join $here filelist.f]]
set files {}
foreach line [split [read $fl] "\n"] {
  set line [string trim $line]
  if {$line ne ""} { lappend files [file join $root $line] }
}
close $fl
add_files -norecurse $files
update_compile_order -fileset sources_1

create_bd_design soc
create_bd_cell -type module -reference dnnchip_soc_top dnnchip
create_bd_cell -type ip -vlnv xilinx.com:ip:proc_sys_reset:5.0 rst
create_bd_cell -type ip -vlnv xilinx.com:ip:smartconnect:1.0 sc_mem
create_bd_cell -type ip -vlnv xilinx.com:ip:smartconnect:1.0 sc_reg
set_property -dict [list CONFIG.NUM_SI {1} CONFIG.NUM_MI {1}] [get_bd_cells sc_mem]
set_property -dict [list CONFIG.NUM_SI {1} CONFIG.NUM_MI {1}] [get_bd_cells sc_reg]

if {$ps_kind eq "zynq7"} {
  create_bd_cell -type ip -vlnv xilinx.com:ip:processing_system7:5.5 ps
  apply_bd_automation -rule xilinx.com:bd_rule:processing_system7 \
    -config {make_external "FIXED_IO, DDR" apply_board_preset "0"} [get_bd_cells ps]
  set_property -dict [list CONFIG.PCW_USE_M_AXI_GP0 {1} CONFIG.PCW_USE_S_AXI_HP0 {1} \
    CONFIG.PCW_S_AXI_HP0_DATA_WIDTH [expr {$dnnchip_data_bits >= 64 ? 64 : 32}] \
    CONFIG.PCW_USE_FABRIC_INTERRUPT {1} CONFIG.PCW_IRQ_F2P_INTR {1} \
    CONFIG.PCW_FPGA0_PERIPHERAL_FREQMHZ $dnnchip_clock_mhz] [get_bd_cells ps]
  set clk_pin ps/FCLK_CLK0
  set rst_pin ps/FCLK_RESET0_N
  set gp ps/M_AXI_GP0
  set hp ps/S_AXI_HP0
  set irq_pin ps/IRQ_F2P
  set port_clks {ps/M_AXI_GP0_ACLK ps/S_AXI_HP0_ACLK}
} else {
  create_bd_cell -type ip -vlnv xilinx.com:ip:zynq_ultra_ps_e:3.4 ps
  apply_bd_automation -rule xilinx.com:bd_rule:zynq_ultra_ps_e -config {apply_board_preset "1"} [get_bd_cells ps]
  set_property -dict [list CONFIG.PSU__USE__M_AXI_GP0 {1} CONFIG.PSU__USE__M_AXI_GP1 {0} \
    CONFIG.PSU__USE__S_AXI_GP2 {1} CONFIG.PSU__SAXIGP2__DATA_WIDTH [expr {$dnnchip_data_bits >= 128 ? 128 : 64}] \
    CONFIG.PSU__USE__IRQ0 {1} CONFIG.PSU__FPGA_PL0_ENABLE {1} \
    CONFIG.PSU__CRL_APB__PL0_REF_CTRL__FREQMHZ $dnnchip_clock_mhz] [get_bd_cells ps]
  set clk_pin ps/pl_clk0
  set rst_pin ps/pl_resetn0
  set gp ps/M_AXI_HPM0_FPD
  set hp ps/S_AXI_HP0_FPD
  set irq_pin ps/pl_ps_irq0
  set port_clks {ps/maxihpm0_fpd_aclk ps/saxihp0_fpd_aclk}
}

# one clock and one reset for everything in the fabric
foreach p [concat $port_clks {dnnchip/clk rst/slowest_sync_clk sc_mem/aclk sc_reg/aclk}] {
  connect_bd_net [get_bd_pins $clk_pin] [get_bd_pins $p]
}
connect_bd_net [get_bd_pins $rst_pin] [get_bd_pins rst/ext_reset_in]
connect_bd_net [get_bd_pins rst/peripheral_aresetn] [get_bd_pins dnnchip/rst_n]
connect_bd_net [get_bd_pins rst/interconnect_aresetn] [get_bd_pins sc_mem/aresetn]
connect_bd_net [get_bd_pins rst/interconnect_aresetn] [get_bd_pins sc_reg/aresetn]
connect_bd_intf_net [get_bd_intf_pins dnnchip/m_axi] [get_bd_intf_pins sc_mem/S00_AXI]
connect_bd_intf_net [get_bd_intf_pins sc_mem/M00_AXI] [get_bd_intf_pins $hp]
connect_bd_intf_net [get_bd_intf_pins $gp] [get_bd_intf_pins sc_reg/S00_AXI]
connect_bd_intf_net [get_bd_intf_pins sc_reg/M00_AXI] [get_bd_intf_pins dnnchip/s_axil]
connect_bd_net [get_bd_pins dnnchip/irq] [get_bd_pins $irq_pin]

# address map: the register window at reg_base (runtime/dnnchip_zynq.h), the engine sees all of
# the PS DDR through the HP port at the CPUs' addresses
assign_bd_address
set reg_seg [get_bd_addr_segs -of_objects [get_bd_addr_spaces ps/Data] -filter {NAME =~ "*dnnchip*"}]
set_property range 4K $reg_seg
set_property offset [dict get $pf reg_base] $reg_seg

validate_bd_design
save_bd_design
set wrapper [make_wrapper -files [get_files soc.bd] -top]
add_files -norecurse $wrapper
set_property top soc_wrapper [current_fileset]
update_compile_order -fileset sources_1

if {[lsearch -exact $argv bitstream] >= 0} {
  launch_runs impl_1 -to_step write_bitstream -jobs 2
  wait_on_run impl_1
  write_hw_platform -fixed -include_bit -force -file [file join $root vivado_soc soc.xsa]
}
