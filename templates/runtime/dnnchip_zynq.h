/* Bus addresses of the SoC top in the block designs soc/vivado_bd.tcl builds, per Zynq platform
 * (the same numbers as soc/zynq_platforms.tcl, whose comments give their sources; a test checks
 * that the two agree). Use with dnnchip_platform_devmem / dnnchip_platform_uio. */
#ifndef DNNCHIP_ZYNQ_H
#define DNNCHIP_ZYNQ_H

#define DNNCHIP_PYNQ_Z1_REG_PHYS  0x43C00000u
#define DNNCHIP_PYNQ_Z1_MEM_PHYS  0x1C000000u
#define DNNCHIP_PYNQ_Z1_MEM_BYTES 0x04000000u

#define DNNCHIP_ZC706_REG_PHYS    0x43C00000u
#define DNNCHIP_ZC706_MEM_PHYS    0x3C000000u
#define DNNCHIP_ZC706_MEM_BYTES   0x04000000u

#define DNNCHIP_ULTRA96_REG_PHYS  0xA0000000u
#define DNNCHIP_ULTRA96_MEM_PHYS  0x7C000000u
#define DNNCHIP_ULTRA96_MEM_BYTES 0x04000000u

#endif /* DNNCHIP_ZYNQ_H */
