// dnnchip_soc: the engine (dnnchip_engine) behind an AXI4-Lite register slave, for a processor
// system (docs/soc.md is the contract: register map, memory map, error codes, cycle counts).
// - Programs in memory: a start fetches PROG_COUNT descriptors (128 bytes each, the descriptor's
//   26 words then 6 unused) from PROG_BASE over the AXI4 master, up to RD_OUT bursts in flight, into the
//   engine's program memory (its write port), checks every opcode and that the last one is End,
//   then starts the engine. One engine runs any program that fits PROG_DEPTH and its buffers.
// - Memory map: every engine address (the program's tensor bases) is an offset from DRAM_BASE,
//   added on the AR and AW channels (DRAM_BASE is 4 KiB aligned, so bursts still never cross a
//   4 KiB boundary); PROG_BASE is a full bus address.
// - Errors: an RRESP or BRESP other than OKAY during a run raises `stop`: the engine finishes the
//   layer in progress (so every burst it issued completes: nothing is left outstanding on the
//   bus) and ends at the next descriptor; a fetch error, an unknown opcode or a missing End stop
//   before the engine starts. STATUS then shows done + error and ERR_CODE / ERR_INDEX say why and
//   at which descriptor. A start checks the base registers first: PROG_BASE 128-byte and DRAM_BASE
//   4 KiB aligned, the program and the DRAM_SIZE window inside [MEM_LO, MEM_HI) (the bus range
//   the engine may touch), else nothing is fetched.
// - Watchdog: WDOG_LIMIT (0 = off) cycles after a start the top gives up whatever it waits for
//   (a memory that never answers): error 8, done + error, the interrupt, and the engine held in
//   reset until the next start (late R beats and B responses are then taken and dropped).
// - Counters: 64 bits (reading a low word latches its high word, read at 0x080 + 4 i): cycles
//   (total, fetch, engine busy), bytes read and written (DATA_W/8 per beat at the R and W
//   handshakes, program fetch included), stall cycles by cause; and each layer's cycles (the
//   engine's layer_cycles) in a table of PROG_DEPTH words from 0x100.
// AXI4-Lite: 32-bit data, S_ADDR_W address bits; one write and one read at a time; a read returns
// two cycles after its address handshake; writes honour WSTRB; responses are always OKAY.
`default_nettype none
module dnnchip_soc #(
    parameter ROWS          = 4,
    parameter COLS          = 4,
    parameter DATAFLOW      = 0,
    parameter ACT_DEPTH     = 256,
    parameter ACC_DEPTH     = 1024,
    parameter DOUBLE_BUFFER = 0,
    parameter W_GROUP       = 1,   // weight blocks per LOAD_W stream (docs/engine.md#weight-streams)
    parameter PACK          = 1,
    parameter WSKEW         = 0,   // the WS array's skewed weight loads (dnnchip_engine)
    parameter FUSE_ADD      = 1,
    parameter WIDE_GATHER   = 1,   // the engine's wide gathers (descriptor ct_group)
    parameter RQ_W          = 32,  // the vector unit's requantization operand bits (dnnchip_engine)
    parameter RQ_LUT        = 0,   // 1: the vector unit's requantization multiplier in fabric (dnnchip_engine)
    parameter POOL_DEPTH    = 0,   // the engine's pool unit (fused max pool, descriptor fuse_pool)
    parameter ACT           = 2,   // the engine's activation unit: 2 (clamp pair + table) runs any model's activations
    parameter ADDR_W        = 32,
    parameter DATA_W        = 64,
    parameter BURST_MAX     = 16,
    parameter RD_OUT        = 4,
    parameter WR_OUT        = 4,
    parameter PROG_DEPTH    = 256,   // descriptors (End included); at most 960 (the layer table)
    // the bus range the engine may use (program and DRAM_SIZE window), [MEM_LO, MEM_HI)
    parameter [32:0] MEM_LO = 33'd0,
    parameter [32:0] MEM_HI = 33'd1 << ADDR_W
) (
    input  wire                clk,
    input  wire                rst_n,
    output wire                irq,
    // AXI4-Lite slave (registers)
    input  wire [11:0]         s_axil_awaddr,
    input  wire                s_axil_awvalid,
    output wire                s_axil_awready,
    input  wire [31:0]         s_axil_wdata,
    input  wire [3:0]          s_axil_wstrb,
    input  wire                s_axil_wvalid,
    output wire                s_axil_wready,
    output wire [1:0]          s_axil_bresp,
    output reg                 s_axil_bvalid,
    input  wire                s_axil_bready,
    input  wire [11:0]         s_axil_araddr,
    input  wire                s_axil_arvalid,
    output wire                s_axil_arready,
    output reg  [31:0]         s_axil_rdata,
    output wire [1:0]          s_axil_rresp,
    output reg                 s_axil_rvalid,
    input  wire                s_axil_rready,
    // AXI4 master (memory)
    output wire [ADDR_W-1:0]   m_axi_awaddr,
    output wire [7:0]          m_axi_awlen,
    output wire [2:0]          m_axi_awsize,
    output wire [1:0]          m_axi_awburst,
    output wire                m_axi_awvalid,
    input  wire                m_axi_awready,
    output wire [DATA_W-1:0]   m_axi_wdata,
    output wire [DATA_W/8-1:0] m_axi_wstrb,
    output wire                m_axi_wlast,
    output wire                m_axi_wvalid,
    input  wire                m_axi_wready,
    input  wire [1:0]          m_axi_bresp,
    input  wire                m_axi_bvalid,
    output wire                m_axi_bready,
    output wire [ADDR_W-1:0]   m_axi_araddr,
    output wire [7:0]          m_axi_arlen,
    output wire [2:0]          m_axi_arsize,
    output wire [1:0]          m_axi_arburst,
    output wire                m_axi_arvalid,
    input  wire                m_axi_arready,
    input  wire [DATA_W-1:0]   m_axi_rdata,
    input  wire [1:0]          m_axi_rresp,
    input  wire                m_axi_rlast,
    input  wire                m_axi_rvalid,
    output wire                m_axi_rready
);
  localparam S_ADDR_W = 12;                      // a 4 KiB register window
  localparam B       = DATA_W / 8;               // bytes per beat
  localparam LB      = $clog2(B);
  localparam BPD     = 128 / B;                  // beats per descriptor slot (128 bytes)
  localparam WPB     = DATA_W / 32;              // descriptor words per beat
  localparam BPD_W   = (BPD > 1) ? $clog2(BPD) : 1;
  localparam [31:0] BPD32 = BPD;
  localparam [BPD_W-1:0] BPD_LAST = BPD32[BPD_W-1:0] - 1'b1;
  localparam [31:0] BURST_MAX32 = BURST_MAX;
  localparam [31:0] LB32 = LB;
  localparam [31:0] B32 = B;
  localparam [63:0] B64 = {32'd0, B32};
  localparam [31:0] ID_VALUE = 32'h444E_4302;    // "DNC", register map version 2
  localparam [31:0] CFG0 = ROWS | (COLS << 8) | (DATAFLOW << 16) | (DOUBLE_BUFFER << 17) |
                           ((PACK - 1) << 18) | (FUSE_ADD << 19) | ($clog2(DATA_W / 32) << 20);
  localparam [31:0] CFG1 = ACT_DEPTH | (ACC_DEPTH << 16);
  localparam [31:0] CFG2 = PROG_DEPTH | ((BURST_MAX - 1) << 16) | ((RD_OUT - 1) << 24) | ((WR_OUT - 1) << 28);
  localparam [31:0] CFG3 = POOL_DEPTH | (W_GROUP << 16) | (WIDE_GATHER << 24);
  localparam [31:0] PROG_DEPTH32 = PROG_DEPTH;
  localparam TAB_AW  = (PROG_DEPTH > 1) ? $clog2(PROG_DEPTH) : 1;
  // error codes (ERR_CODE[3:0])
  localparam [3:0] E_NONE = 4'd0, E_RD_RESP = 4'd1, E_WR_RESP = 4'd2, E_FETCH_RESP = 4'd3,
                   E_OPCODE = 4'd4, E_NO_END = 4'd5, E_COUNT = 4'd6, E_ADDR = 4'd7,
                   E_TIMEOUT = 4'd8, E_ALIGN = 4'd9, E_REGION = 4'd10;
  // states
  localparam [2:0] S_IDLE = 3'd0, S_FETCH = 3'd1, S_FEND = 3'd3, S_RUN = 3'd4;
  localparam [31:0] RD_OUT32 = RD_OUT;
  localparam [4:0] RD_OUT5 = RD_OUT32[4:0];

  reg  [2:0]  st;
  // registers
  reg  [31:0] dram_base, prog_base, prog_count, dram_size;
  reg  [1:0]  irq_en, irq_st;
  reg         st_done, st_err;
  reg  [3:0]  err_code;
  reg  [1:0]  err_resp;
  reg  [15:0] err_index;
  reg  [63:0] c_cycles, c_fetch, c_engine, c_rd_bytes, c_wr_bytes, c_ar_stall, c_r_wait, c_w_stall;
  reg  [31:0] hi_sh [0:7];  // high words latched by reading the low words (0x028 + 4 i)
  reg  [31:0] wdog_limit, wd_left;
  reg         wd_on, wd_hit, eng_hold;
  reg         bad_palign, bad_dalign, bad_preg, bad_dreg;
  reg  [31:0] c_layers, c_last_layer;
  reg  [4:0]  rd_inflight;
  reg  [15:0] cur_layer;    // descriptor the engine runs (layers finish in program order)
  // program fetch
  reg  [ADDR_W-1:0] f_addr;     // next burst's address
  reg  [31:0] f_left;           // beats still to request
  reg         f_more;           // f_left != 0 (registered at each address handshake)
  reg  [4:0]  f_out;            // fetch bursts in flight (at most RD_OUT)
  reg  [BPD_W-1:0] f_beat;      // beat within the descriptor slot
  reg  [15:0] f_desc;           // descriptor being received
  reg         eng_start;

  // ---- engine
  wire eng_busy, eng_done, eng_layer_done;
  wire [15:0] eng_layer_idx;
  wire [31:0] eng_layer_cycles;
  wire [ADDR_W-1:0] e_awaddr, e_araddr;
  wire [7:0]  e_arlen;
  wire [2:0]  e_arsize;
  wire [DATA_W/8-1:0] e_wstrb;
  wire [1:0]  e_arburst;
  wire        e_arvalid, e_rready, e_bready;
  wire        fetching = (st == S_FETCH);
  wire [25:0] prog_wmask;
  wire [831:0] prog_wdata;
  genvar gw;
  generate
    for (gw = 0; gw < 26; gw = gw + 1) begin : g_pw
      assign prog_wmask[gw] = ({{(32-BPD_W){1'b0}}, f_beat} == gw / WPB);
      assign prog_wdata[gw*32 +: 32] = m_axi_rdata[(gw % WPB)*32 +: 32];
    end
  endgenerate
  wire f_beat_in = fetching && m_axi_rvalid;   // rready is 1 while fetching
  // up to RD_OUT fetch bursts in flight, as the DMA's reads (docs/soc.md#program-fetch)
  wire f_arvalid = fetching && f_more && (f_out < RD_OUT5);
  wire f_ar_hs   = f_arvalid && m_axi_arready;
  wire f_r_last  = f_beat_in && m_axi_rlast;

  dnnchip_engine #(
      .ROWS(ROWS), .COLS(COLS), .DATAFLOW(DATAFLOW), .ACT_DEPTH(ACT_DEPTH), .ACC_DEPTH(ACC_DEPTH),
      .DOUBLE_BUFFER(DOUBLE_BUFFER), .W_GROUP(W_GROUP), .PACK(PACK), .WSKEW(WSKEW), .FUSE_ADD(FUSE_ADD), .ACT(ACT), .WIDE_GATHER(WIDE_GATHER), .POOL_DEPTH(POOL_DEPTH), .RQ_W(RQ_W), .RQ_LUT(RQ_LUT), .ADDR_W(ADDR_W),
      .DATA_W(DATA_W), .BURST_MAX(BURST_MAX), .RD_OUT(RD_OUT), .WR_OUT(WR_OUT),
      .PROG_DEPTH(PROG_DEPTH), .PROG_FILE(""), .PROG_INIT(0)
  ) u_engine (
      .clk(clk), .rst_n(rst_n && !eng_hold), .start(eng_start), .stop(st_err), .prog_we(f_beat_in),
      .prog_waddr(f_desc), .prog_wmask(prog_wmask), .prog_wdata(prog_wdata),
      .busy(eng_busy), .done(eng_done), .layer_done(eng_layer_done), .layer_idx(eng_layer_idx),
      .layer_cycles(eng_layer_cycles),
      .m_axi_awaddr(e_awaddr), .m_axi_awlen(m_axi_awlen), .m_axi_awsize(m_axi_awsize),
      .m_axi_awburst(m_axi_awburst), .m_axi_awvalid(m_axi_awvalid), .m_axi_awready(m_axi_awready),
      .m_axi_wdata(m_axi_wdata), .m_axi_wstrb(e_wstrb), .m_axi_wlast(m_axi_wlast),
      .m_axi_wvalid(m_axi_wvalid), .m_axi_wready(m_axi_wready), .m_axi_bresp(m_axi_bresp),
      .m_axi_bvalid(m_axi_bvalid), .m_axi_bready(e_bready), .m_axi_araddr(e_araddr),
      .m_axi_arlen(e_arlen), .m_axi_arsize(e_arsize), .m_axi_arburst(e_arburst), .m_axi_arvalid(e_arvalid),
      .m_axi_arready(m_axi_arready && !fetching), .m_axi_rdata(m_axi_rdata),
      .m_axi_rresp(m_axi_rresp), .m_axi_rlast(m_axi_rlast),
      .m_axi_rvalid(m_axi_rvalid && !fetching), .m_axi_rready(e_rready));

  // ---- AXI4 master: the fetcher owns the read channels while fetching, the engine otherwise
  // (the engine is idle then); engine addresses are offsets from DRAM_BASE
  // next burst: the beats left, at most BURST_MAX, not across a 4 KiB boundary
  wire [31:0] f_room  = (32'd4096 - {20'd0, f_addr[11:0]}) >> LB;
  wire [31:0] f_len_a = (f_left < BURST_MAX32) ? f_left : BURST_MAX32;
  wire [31:0] f_len_c = (f_room < f_len_a) ? f_room : f_len_a;
  assign m_axi_awaddr  = e_awaddr + dram_base[ADDR_W-1:0];
  assign m_axi_araddr  = fetching ? f_addr : e_araddr + dram_base[ADDR_W-1:0];
  assign m_axi_arlen   = fetching ? f_len_c[7:0] - 8'd1 : e_arlen;
  assign m_axi_arsize  = fetching ? LB32[2:0] : e_arsize;
  assign m_axi_arburst = fetching ? 2'b01 : e_arburst;
  assign m_axi_arvalid = f_arvalid || (!fetching && e_arvalid);
  // held in reset after a timeout: R beats and B responses still due are taken and dropped
  assign m_axi_rready  = fetching || e_rready || eng_hold;
  assign m_axi_bready  = e_bready || eng_hold;

  // ---- AXI4-Lite slave
  wire        wr_go = s_axil_awvalid && s_axil_wvalid && !s_axil_bvalid;
  assign s_axil_awready = wr_go;
  assign s_axil_wready  = wr_go;
  assign s_axil_bresp   = 2'b00;
  assign s_axil_rresp   = 2'b00;
  reg  [S_ADDR_W-1:0] ar_q;
  reg         rd_p1, rd_p2;
  assign s_axil_arready = !rd_p1 && !rd_p2 && !s_axil_rvalid;
  wire [S_ADDR_W-3:0] wa = s_axil_awaddr[S_ADDR_W-1:2];
  function [31:0] merge(input [31:0] old, input [31:0] v, input [3:0] s);
    merge = {s[3] ? v[31:24] : old[31:24], s[2] ? v[23:16] : old[23:16],
             s[1] ? v[15:8] : old[15:8], s[0] ? v[7:0] : old[7:0]};
  endfunction
  wire start_req = wr_go && (wa == 10'h001) && s_axil_wstrb[0] && s_axil_wdata[0] && (st == S_IDLE);

  // layer table: one word per descriptor, written at layer_done, read by the slave
  reg  [31:0] ltab [0:PROG_DEPTH-1];
  reg  [31:0] ltab_q;
  wire [S_ADDR_W-1:0] tab_off = ar_q - 12'h100;   // table byte offset
  always @(posedge clk) begin
    if (eng_layer_done) ltab[eng_layer_idx[TAB_AW-1:0]] <= eng_layer_cycles;
    ltab_q <= ltab[tab_off[TAB_AW+1:2]];
  end

  reg [31:0] rmux;
  always @(*) begin
    case (ar_q[7:2])
      6'h00: rmux = ID_VALUE;
      6'h02: rmux = {29'd0, st_err, st_done, st != S_IDLE};
      6'h03: rmux = {30'd0, irq_en};
      6'h04: rmux = {30'd0, irq_st};
      6'h05: rmux = {26'd0, err_resp, err_code};
      6'h06: rmux = {16'd0, err_index};
      6'h07: rmux = dram_base;
      6'h08: rmux = prog_base;
      6'h09: rmux = prog_count;
      6'h0A: rmux = c_cycles[31:0];
      6'h0B: rmux = c_fetch[31:0];
      6'h0C: rmux = c_engine[31:0];
      6'h0D: rmux = c_rd_bytes[31:0];
      6'h0E: rmux = c_wr_bytes[31:0];
      6'h0F: rmux = c_ar_stall[31:0];
      6'h10: rmux = c_r_wait[31:0];
      6'h11: rmux = c_w_stall[31:0];
      6'h12: rmux = c_layers;
      6'h13: rmux = c_last_layer;
      6'h14: rmux = CFG0;
      6'h15: rmux = CFG1;
      6'h16: rmux = CFG2;
      6'h17: rmux = dram_size;
      6'h18: rmux = CFG3;
      6'h19: rmux = wdog_limit;
      6'h20, 6'h21, 6'h22, 6'h23, 6'h24, 6'h25, 6'h26, 6'h27: rmux = hi_sh[ar_q[4:2]];
      default: rmux = 32'd0;
    endcase
  end
  wire in_tab = (ar_q >= 12'h100) && ({20'd0, tab_off} < (PROG_DEPTH32 << 2));

  always @(posedge clk) begin
    if (!rst_n) begin
      s_axil_bvalid <= 1'b0;
      s_axil_rvalid <= 1'b0;
      rd_p1 <= 1'b0;
      rd_p2 <= 1'b0;
    end else begin
      if (wr_go) s_axil_bvalid <= 1'b1;
      else if (s_axil_bready) s_axil_bvalid <= 1'b0;
      rd_p1 <= s_axil_arvalid && s_axil_arready;
      rd_p2 <= rd_p1;
      if (rd_p2) begin
        s_axil_rvalid <= 1'b1;
        s_axil_rdata  <= in_tab ? ltab_q : (ar_q < 12'h100 ? rmux : 32'd0);
      end else if (s_axil_rready) begin
        s_axil_rvalid <= 1'b0;
      end
    end
    if (s_axil_arvalid && s_axil_arready) ar_q <= s_axil_araddr;
  end
  // a low word read (0x028 + 4 i) latches the counter's high word in the same cycle, so the pair
  // is one 64-bit value even while the counter runs
  wire [63:0] cnt_q [0:7];
  assign cnt_q[0] = c_cycles;   assign cnt_q[1] = c_fetch;    assign cnt_q[2] = c_engine;
  assign cnt_q[3] = c_rd_bytes; assign cnt_q[4] = c_wr_bytes; assign cnt_q[5] = c_ar_stall;
  assign cnt_q[6] = c_r_wait;   assign cnt_q[7] = c_w_stall;
  wire [2:0] lo_idx = ar_q[4:2] - 3'd2;   // (ar_q[7:2] - 0x0A) mod 8
  always @(posedge clk)
    if (rd_p2 && ar_q[11:8] == 4'd0 && ar_q[7:2] >= 6'h0A && ar_q[7:2] <= 6'h11)
      hi_sh[lo_idx] <= cnt_q[lo_idx][63:32];

  // ---- control, fetch, errors, counters
  wire r_hs   = m_axi_rvalid && m_axi_rready;
  wire ar_hs  = m_axi_arvalid && m_axi_arready;
  wire w_hs   = m_axi_wvalid && m_axi_wready;
  wire r_err  = r_hs && (m_axi_rresp != 2'b00);
  wire b_err  = m_axi_bvalid && m_axi_bready && (m_axi_bresp != 2'b00);
  wire [3:0] f_op = m_axi_rdata[3:0];
  wire f_first = (f_beat == {BPD_W{1'b0}});
  wire f_last_desc = (f_desc + 16'd1 == prog_count[15:0]);
  wire finish = (st == S_RUN && eng_done) || (st == S_FEND && st_err);
  // the window check (DRAM_SIZE, 0 = off): a burst's last byte must lie below DRAM_BASE + DRAM_SIZE,
  // i.e. addr + (len + 1) * B <= DRAM_SIZE. Kept off the DMA's address / length paths (clock proxy,
  // docs/soc.md#resources): with room = DRAM_SIZE - addr (the DMA's awaddr is a register, so the
  // subtraction runs beside its length logic) a burst is outside iff room < 0 or
  // len >= room / B (whole beats; len <= 255), an 8-bit compare after the length.
  // - AW: checked in the AW handshake's cycle (its flag clears the burst's strobes; the DMA sends
  //   a burst's first W beat in the cycle after its AW handshake at the earliest).
  // - AR: the burst's address and length are registered at the handshake and checked in the next
  //   cycle (the read is performed either way; the error stops the engine one cycle later, long
  //   before the burst's data can end the layer).
  wire [32:0] aw_room = {1'b0, dram_size} - {1'b0, e_awaddr};
  wire aw_out = (dram_size != 32'd0) && (aw_room[32] ||
                (aw_room[31:LB+8] == {(24-LB){1'b0}} && m_axi_awlen >= aw_room[LB+7:LB]));
  reg               ar_chk;      // an engine AR handshake in the previous cycle
  reg  [ADDR_W-1:0] ar_chk_a;
  reg  [7:0]        ar_chk_l;
  always @(posedge clk) begin
    ar_chk   <= rst_n && ar_hs && !fetching;
    ar_chk_a <= e_araddr;
    ar_chk_l <= e_arlen;
  end
  wire [32:0] ar_room = {1'b0, dram_size} - {1'b0, ar_chk_a};
  wire ar_out = (dram_size != 32'd0) && (ar_room[32] ||
                (ar_room[31:LB+8] == {(24-LB){1'b0}} && ar_chk_l >= ar_room[LB+7:LB]));
  wire ar_bad = ar_chk && ar_out;
  wire aw_bad = m_axi_awvalid && m_axi_awready && aw_out;
  // the base checks, registered from the registers alone (they change only by a register write, and
  // two writes are at least two cycles apart: a start sees the flags of the values before it)
  wire [32:0] prog_end = {1'b0, prog_base} + {10'd0, prog_count[15:0], 7'd0};
  wire [32:0] dram_end = {1'b0, dram_base} + {1'b0, dram_size};
  // below MEM_LO: the borrow of base - MEM_LO (a subtraction, not a comparison that lint calls
  // constant at MEM_LO = 0)
  wire [33:0] prog_lo = {2'b00, prog_base} - {1'b0, MEM_LO};
  wire [33:0] dram_lo = {2'b00, dram_base} - {1'b0, MEM_LO};
  always @(posedge clk) begin
    bad_palign <= prog_base[6:0] != 7'd0;
    bad_dalign <= dram_base[11:0] != 12'd0;
    bad_preg   <= prog_lo[33] || (prog_end > MEM_HI);
    bad_dreg   <= dram_lo[33] || ((dram_size != 32'd0) ? (dram_end > MEM_HI) : ({1'b0, dram_base} >= MEM_HI));
  end
  reg       wfl [0:15];
  reg [3:0] wq_h, wq_t;
  assign m_axi_wstrb = (wq_h != wq_t && wfl[wq_h]) ? {(DATA_W/8){1'b0}} : e_wstrb;

  assign irq = |(irq_st & irq_en);

  always @(posedge clk) begin
    eng_start <= 1'b0;
    if (!rst_n) begin
      st <= S_IDLE;
      dram_base <= 32'd0; prog_base <= 32'd0; prog_count <= 32'd0; dram_size <= 32'd0;
      wdog_limit <= 32'd0; wd_left <= 32'd0; wd_on <= 1'b0; wd_hit <= 1'b0; eng_hold <= 1'b0;
      irq_en <= 2'b00; irq_st <= 2'b00;
      st_done <= 1'b0; st_err <= 1'b0;
      err_code <= E_NONE; err_resp <= 2'b00; err_index <= 16'd0;
      rd_inflight <= 5'd0;
      wq_h <= 4'd0; wq_t <= 4'd0;
      c_cycles <= 64'd0; c_fetch <= 64'd0; c_engine <= 64'd0; c_rd_bytes <= 64'd0;
      c_wr_bytes <= 64'd0; c_ar_stall <= 64'd0; c_r_wait <= 64'd0; c_w_stall <= 64'd0;
      c_layers <= 32'd0; c_last_layer <= 32'd0; cur_layer <= 16'd0;
    end else begin
      // register writes
      if (wr_go) begin
        case (wa)
          10'h003: if (s_axil_wstrb[0]) irq_en <= s_axil_wdata[1:0];
          10'h004: irq_st <= irq_st & ~(s_axil_wdata[1:0] & {2{s_axil_wstrb[0]}});
          10'h007: if (st == S_IDLE) dram_base <= merge(dram_base, s_axil_wdata, s_axil_wstrb);
          10'h008: if (st == S_IDLE) prog_base <= merge(prog_base, s_axil_wdata, s_axil_wstrb);
          10'h009: if (st == S_IDLE) prog_count <= merge(prog_count, s_axil_wdata, s_axil_wstrb);
          10'h017: if (st == S_IDLE) dram_size <= merge(dram_size, s_axil_wdata, s_axil_wstrb);
          10'h019: if (st == S_IDLE) wdog_limit <= merge(wdog_limit, s_axil_wdata, s_axil_wstrb);
          default: ;
        endcase
      end
      if (ar_hs) rd_inflight <= rd_inflight + ((r_hs && m_axi_rlast) ? 5'd0 : 5'd1);
      else if (r_hs && m_axi_rlast) rd_inflight <= rd_inflight - 5'd1;
      if (st != S_IDLE) begin
        c_cycles <= c_cycles + 64'd1;
        if (st != S_RUN) c_fetch <= c_fetch + 64'd1;
        if (eng_busy) c_engine <= c_engine + 64'd1;
        if (r_hs) c_rd_bytes <= c_rd_bytes + B64;
        if (w_hs) c_wr_bytes <= c_wr_bytes + B64;
        if (m_axi_arvalid && !m_axi_arready) c_ar_stall <= c_ar_stall + 64'd1;
        if (rd_inflight != 5'd0 && !r_hs) c_r_wait <= c_r_wait + 64'd1;
        if ((m_axi_awvalid && !m_axi_awready) || (m_axi_wvalid && !m_axi_wready))
          c_w_stall <= c_w_stall + 64'd1;
      end
      // watchdog: wd_left counts the run's cycles down from WDOG_LIMIT; wd_hit (registered) fires
      // in the cycle after the run has lasted WDOG_LIMIT cycles
      if (st != S_IDLE && wd_left != 32'd0) wd_left <= wd_left - 32'd1;
      wd_hit <= wd_on && st != S_IDLE && wd_left == 32'd1;
      if (eng_layer_done) begin
        c_layers     <= c_layers + 32'd1;
        c_last_layer <= eng_layer_cycles;
        cur_layer    <= eng_layer_idx + 16'd1;
      end
      // run-time bus errors and accesses outside the window: the first one is recorded and stops
      // the engine (st_err -> stop)
      if (st == S_RUN && !st_err && (r_err || b_err || ar_bad || aw_bad)) begin
        st_err    <= 1'b1;
        err_code  <= (ar_bad || aw_bad) ? E_ADDR : r_err ? E_RD_RESP : E_WR_RESP;
        err_resp  <= (ar_bad || aw_bad) ? 2'b00 : r_err ? m_axi_rresp : m_axi_bresp;
        err_index <= cur_layer;
      end
      // write bursts outside the window go out with their strobes cleared (one flag per burst)
      if (m_axi_awvalid && m_axi_awready) begin
        wfl[wq_t] <= aw_out;
        wq_t      <= wq_t + 4'd1;
      end
      if (w_hs && m_axi_wlast) wq_h <= wq_h + 4'd1;
      // program beats: into the engine's program memory (its write port), each slot's op checked
      if (f_beat_in) begin
        if (!st_err) begin
          if (m_axi_rresp != 2'b00) begin
            st_err <= 1'b1; err_code <= E_FETCH_RESP; err_resp <= m_axi_rresp; err_index <= f_desc;
          end else if (f_first && f_op > 4'd4) begin
            st_err <= 1'b1; err_code <= E_OPCODE; err_index <= f_desc;
          end else if (f_first && f_last_desc && f_op != 4'd0) begin
            st_err <= 1'b1; err_code <= E_NO_END; err_index <= f_desc;
          end
        end
        f_beat <= (f_beat == BPD_LAST) ? {BPD_W{1'b0}} : f_beat + 1'b1;
        if (f_beat == BPD_LAST) f_desc <= f_desc + 16'd1;
      end
      case (st)
        S_IDLE: if (start_req) begin
          st_done <= 1'b0; st_err <= 1'b0;
          err_code <= E_NONE; err_resp <= 2'b00; err_index <= 16'd0;
          c_cycles <= 64'd0; c_fetch <= 64'd0; c_engine <= 64'd0; c_rd_bytes <= 64'd0;
          c_wr_bytes <= 64'd0; c_ar_stall <= 64'd0; c_r_wait <= 64'd0; c_w_stall <= 64'd0;
          c_layers <= 32'd0; c_last_layer <= 32'd0; cur_layer <= 16'd0;
          wd_left <= wdog_limit; wd_on <= wdog_limit != 32'd0; wd_hit <= 1'b0; eng_hold <= 1'b0;
          rd_inflight <= 5'd0; wq_h <= wq_t;
          f_addr <= prog_base[ADDR_W-1:0];
          f_left <= prog_count << (7 - LB);   // BPD beats per descriptor
          f_beat <= {BPD_W{1'b0}};
          f_desc <= 16'd0;
          f_more <= 1'b1;
          f_out  <= 5'd0;
          if (prog_count == 32'd0 || prog_count > PROG_DEPTH32) begin
            st_err <= 1'b1; err_code <= E_COUNT; st <= S_FEND;
          end else if (bad_palign || bad_dalign) begin   // ERR_INDEX: the register's offset
            st_err <= 1'b1; err_code <= E_ALIGN; err_index <= bad_palign ? 16'h0020 : 16'h001C; st <= S_FEND;
          end else if (bad_preg || bad_dreg) begin
            st_err <= 1'b1; err_code <= E_REGION; err_index <= bad_preg ? 16'h0020 : 16'h001C; st <= S_FEND;
          end else begin
            st <= S_FETCH;
          end
        end
        S_FETCH: begin
          if (f_ar_hs) begin
            f_left <= f_left - f_len_c;
            f_addr <= f_addr + (f_len_c[ADDR_W-1:0] << LB);
            f_more <= f_left != f_len_c;
          end
          f_out <= f_out + {4'd0, f_ar_hs} - {4'd0, f_r_last};
          // the last beat of the last burst: no address left to send, none other in flight
          if (f_r_last && !f_more && f_out == 5'd1) st <= S_FEND;
        end
        S_FEND: if (!st_err) begin
          eng_start <= 1'b1;
          st        <= S_RUN;
        end
        default: ;  // S_RUN: until the engine's done
      endcase
      if (finish) begin
        st      <= S_IDLE;
        st_done <= 1'b1;
        irq_st  <= irq_st | {st_err, 1'b1};
      end else if (wd_hit && st != S_IDLE) begin
        // timeout: whatever the top waits for, it stops now; the engine is held in reset until the
        // next start (a burst the memory never answers cannot be finished)
        st       <= S_IDLE;
        st_done  <= 1'b1;
        st_err   <= 1'b1;
        irq_st   <= irq_st | 2'b11;
        eng_hold <= 1'b1;
        wq_h     <= wq_t;
        if (!st_err) begin
          err_code  <= E_TIMEOUT;
          err_resp  <= 2'b00;
          err_index <= fetching ? f_desc : cur_layer;
        end
      end
    end
  end

  wire unused_ok = &{1'b0, aw_room[LB-1:0], ar_room[LB-1:0], f_len_c[31:8], s_axil_awaddr[1:0], prog_lo[32:0], dram_lo[32:0]};
endmodule
`default_nettype wire
