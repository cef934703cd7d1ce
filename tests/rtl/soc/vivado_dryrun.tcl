# Dry run of a generated design's soc/vivado_bd.tcl in tclsh, as far as this machine allows (no
# Vivado): every Vivado command is a stub that records its call, so the script's Tcl parses and runs
# through both processing-system branches, once per platform of soc/zynq_platforms.tcl. Checks:
# every file it adds exists and one defines dnnchip_soc_top; it connects both AXI interfaces, the
# interrupt, clock and reset; the register window goes to the platform's reg_base with a 4K range;
# the addresses of zynq_platforms.tcl equal those of runtime/dnnchip_zynq.h; "bitstream" adds the
# implementation runs. usage: tclsh vivado_dryrun.tcl <generated design folder>
set design [file normalize [lindex $argv 0]]
set fails 0
proc check {ok what} {
  puts [expr {$ok ? "  ok   $what" : "  FAIL $what"}]
  if {!$ok} { incr ::fails }
}
proc reset_calls {} { set ::calls {} }
proc unknown {args} {
  lappend ::calls $args
  return "<[join $args { }]>"   ;# carries the names, e.g. <get_bd_pins dnnchip/irq>
}
proc add_files {args} {
  lappend ::calls [concat add_files $args]
  foreach a $args {
    if {[string index $a 0] eq "-"} continue
    foreach f $a { lappend ::added $f }
  }
  return ""
}
proc make_wrapper {args} {
  lappend ::calls [concat make_wrapper $args]
  return [file join $::design vivado_soc soc_wrapper.v]   ;# Vivado writes it; not checked below
}
proc called {pattern} {
  foreach c $::calls { if {[string match $pattern $c]} { return 1 } }
  return 0
}
rename source _source
proc source {f} {
  uplevel #0 [list _source $f]
  if {[string match *platform.tcl $f] && ![string match *zynq_platforms.tcl $f]} {
    uplevel #0 [list set dnnchip_platform $::forced]
  }
}

_source [file join $design soc zynq_platforms.tcl]
set header [read [open [file join $design runtime dnnchip_zynq.h]]]
foreach {name pf} $dnnchip_zynq_platforms {
  set tag [string toupper $name]
  foreach {key macro} {reg_base REG_PHYS mem_base MEM_PHYS mem_bytes MEM_BYTES} {
    set found [regexp "#define DNNCHIP_${tag}_${macro} +(0x\[0-9A-Fa-f\]+)u" $header -> value]
    check [expr {$found && $value == [dict get $pf $key]}] "$name $key [dict get $pf $key] = runtime/dnnchip_zynq.h DNNCHIP_${tag}_${macro}"
  }
}

foreach {name pf} $dnnchip_zynq_platforms {
  foreach mode {project bitstream} {
    reset_calls
    set added {}
    set forced $name
    set argv [expr {$mode eq "bitstream" ? "bitstream" : ""}]
    set rc [catch {_source [file join $design soc vivado_bd.tcl]} err]
    check [expr {$rc == 0}] "$name ($mode): the script runs through [expr {$rc ? ": $err" : ""}]"
    set missing 0
    set top 0
    foreach f $added {
      if {[string match */vivado_soc/* $f]} continue
      if {![file exists $f]} { incr missing; puts "        missing: $f" }
      if {[file exists $f] && [regexp {module dnnchip_soc_top\M} [read [open $f]]]} { set top 1 }
    }
    check [expr {[llength $added] > 5 && $missing == 0}] "$name: [llength $added] files added, all exist"
    check $top "$name: dnnchip_soc_top is defined in the files added"
    check [called "create_project * -part [dict get $pf part] -force"] "$name: project for [dict get $pf part]"
    check [called "create_bd_cell -type module -reference dnnchip_soc_top dnnchip"] "$name: dnnchip_soc_top as a module reference"
    set ps [expr {[dict get $pf ps] eq "zynq7" ? "processing_system7" : "zynq_ultra_ps_e"}]
    check [called "create_bd_cell -type ip -vlnv xilinx.com:ip:$ps:* ps"] "$name: $ps"
    check [called "connect_bd_intf_net *dnnchip/m_axi* *sc_mem/S00_AXI*"] "$name: AXI4 master to the memory SmartConnect"
    check [called "connect_bd_intf_net *sc_reg/M00_AXI* *dnnchip/s_axil*"] "$name: register SmartConnect to the AXI4-Lite slave"
    check [called "connect_bd_net *dnnchip/irq* *"] "$name: interrupt connected"
    check [called "connect_bd_net *rst/peripheral_aresetn* *dnnchip/rst_n*"] "$name: reset connected"
    check [called "set_property offset [dict get $pf reg_base] *"] "$name: register window at [dict get $pf reg_base]"
    check [called "set_property range 4K *"] "$name: register window of 4K"
    check [expr {[called "launch_runs impl_1 -to_step write_bitstream*"] == ($mode eq "bitstream")}] \
      "$name: implementation runs only with bitstream ($mode)"
  }
}
puts [expr {$fails ? "FAIL ($fails)" : "PASS vivado_bd.tcl dry run"}]
exit [expr {$fails ? 1 : 0}]
