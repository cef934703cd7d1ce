// dnnchip_soc: the engine (dnnchip_engine) behind an AXI4-Lite register slave, for a processor
// system (docs/soc.md is the contract: register map, memory map, error codes, cycle counts).
// - Programs in memory: a start fetches PROG_COUNT descriptors (128 bytes each, the descriptor's
//   26 words then 6 unused) from PROG_BASE over the AXI4 master, one burst at a time, into the
//   engine's program memory (its write port), checks every opcode and that the last one is End,
//   then starts the engine. One engine runs any program that fits PROG_DEPTH and its buffers.
// - Memory map: every engine address (the program's tensor bases) is an offset from DRAM_BASE,
//   added on the AR and AW channels (DRAM_BASE is 4 KiB aligned, so bursts still never cross a
//   4 KiB boundary); PROG_BASE is a full bus address.
// - Errors: an RRESP or BRESP other than OKAY during a run raises `stop`: the engine finishes the
//   layer in progress (so every burst it issued completes: nothing is left outstanding on the
//   bus) and ends at the next descriptor; a fetch error, an unknown opcode or a missing End stop
//   before the engine starts. STATUS then shows done + error and ERR_CODE / ERR_INDEX say why and
//   at which descriptor.
// - Counters: cycles (total, fetch, engine busy), bytes read and written (DATA_W/8 per beat at the
//   R and W handshakes, program fetch included), stall cycles by cause, and each layer's cycles
//   (the engine's layer_cycles) in a table of PROG_DEPTH words from 0x100.
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
    parameter FUSE_ADD      = 1,
    parameter WIDE_GATHER   = 1,   // the engine's wide gathers (descriptor ct_group)
    parameter RQ_W          = 32,  // the vector unit's requantization operand bits (dnnchip_engine)
    parameter POOL_DEPTH    = 0,   // the engine's pool unit (fused max pool, descriptor fuse_pool)
    parameter ACT           = 2,   // the engine's activation unit: 2 (clamp pair + table) runs any model's activations
    parameter ADDR_W        = 32,
    parameter DATA_W        = 64,
    parameter BURST_MAX     = 16,
    parameter RD_OUT        = 4,
    parameter WR_OUT        = 4,
    parameter PROG_DEPTH    = 256    // descriptors (End included); at most 960 (the layer table)
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
  localparam [31:0] ID_VALUE = 32'h444E_4301;    // "DNC", register map version 1
  localparam [31:0] CFG0 = ROWS | (COLS << 8) | (DATAFLOW << 16) | (DOUBLE_BUFFER << 17) |
                           ((PACK - 1) << 18) | (FUSE_ADD << 19) | ($clog2(DATA_W / 32) << 20);
  localparam [31:0] CFG1 = ACT_DEPTH | (ACC_DEPTH << 16);
  localparam [31:0] CFG2 = PROG_DEPTH | ((BURST_MAX - 1) << 16) | ((RD_OUT - 1) << 24) | ((WR_OUT - 1) << 28);
  localparam [31:0] PROG_DEPTH32 = PROG_DEPTH;
  localparam TAB_AW  = (PROG_DEPTH > 1) ? $clog2(PROG_DEPTH) : 1;
  // error codes (ERR_CODE[3:0])
  localparam [3:0] E_NONE = 4'd0, E_RD_RESP = 4'd1, E_WR_RESP = 4'd2, E_FETCH_RESP = 4'd3,
                   E_OPCODE = 4'd4, E_NO_END = 4'd5, E_COUNT = 4'd6, E_ADDR = 4'd7;
  // states
  localparam [2:0] S_IDLE = 3'd0, S_FAR = 3'd1, S_FR = 3'd2, S_FEND = 3'd3, S_RUN = 3'd4;

  reg  [2:0]  st;
  // registers
  reg  [31:0] dram_base, prog_base, prog_count, dram_size;
  reg  [1:0]  irq_en, irq_st;
  reg         st_done, st_err;
  reg  [3:0]  err_code;
  reg  [1:0]  err_resp;
  reg  [15:0] err_index;
  reg  [31:0] c_cycles, c_fetch, c_engine, c_rd_bytes, c_wr_bytes, c_ar_stall, c_r_wait, c_w_stall;
  reg  [31:0] c_layers, c_last_layer;
  reg  [4:0]  rd_inflight;
  reg  [15:0] cur_layer;    // descriptor the engine runs (layers finish in program order)
  // program fetch
  reg  [ADDR_W-1:0] f_addr;     // next burst's address
  reg  [31:0] f_left;           // beats still to request
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
  wire        e_arvalid, e_rready;
  wire        fetching = (st == S_FAR) || (st == S_FR);
  wire [25:0] prog_wmask;
  wire [831:0] prog_wdata;
  genvar gw;
  generate
    for (gw = 0; gw < 26; gw = gw + 1) begin : g_pw
      assign prog_wmask[gw] = ({{(32-BPD_W){1'b0}}, f_beat} == gw / WPB);
      assign prog_wdata[gw*32 +: 32] = m_axi_rdata[(gw % WPB)*32 +: 32];
    end
  endgenerate
  wire f_beat_in = (st == S_FR) && m_axi_rvalid;   // rready is 1 while fetching beats

  dnnchip_engine #(
      .ROWS(ROWS), .COLS(COLS), .DATAFLOW(DATAFLOW), .ACT_DEPTH(ACT_DEPTH), .ACC_DEPTH(ACC_DEPTH),
      .DOUBLE_BUFFER(DOUBLE_BUFFER), .W_GROUP(W_GROUP), .PACK(PACK), .FUSE_ADD(FUSE_ADD), .ACT(ACT), .WIDE_GATHER(WIDE_GATHER), .POOL_DEPTH(POOL_DEPTH), .RQ_W(RQ_W), .ADDR_W(ADDR_W),
      .DATA_W(DATA_W), .BURST_MAX(BURST_MAX), .RD_OUT(RD_OUT), .WR_OUT(WR_OUT),
      .PROG_DEPTH(PROG_DEPTH), .PROG_FILE(""), .PROG_INIT(0)
  ) u_engine (
      .clk(clk), .rst_n(rst_n), .start(eng_start), .stop(st_err), .prog_we(f_beat_in),
      .prog_waddr(f_desc), .prog_wmask(prog_wmask), .prog_wdata(prog_wdata),
      .busy(eng_busy), .done(eng_done), .layer_done(eng_layer_done), .layer_idx(eng_layer_idx),
      .layer_cycles(eng_layer_cycles),
      .m_axi_awaddr(e_awaddr), .m_axi_awlen(m_axi_awlen), .m_axi_awsize(m_axi_awsize),
      .m_axi_awburst(m_axi_awburst), .m_axi_awvalid(m_axi_awvalid), .m_axi_awready(m_axi_awready),
      .m_axi_wdata(m_axi_wdata), .m_axi_wstrb(e_wstrb), .m_axi_wlast(m_axi_wlast),
      .m_axi_wvalid(m_axi_wvalid), .m_axi_wready(m_axi_wready), .m_axi_bresp(m_axi_bresp),
      .m_axi_bvalid(m_axi_bvalid), .m_axi_bready(m_axi_bready), .m_axi_araddr(e_araddr),
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
  assign m_axi_arvalid = (st == S_FAR) || (!fetching && e_arvalid);
  assign m_axi_rready  = (st == S_FR) || (!fetching && e_rready);

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
      6'h0A: rmux = c_cycles;
      6'h0B: rmux = c_fetch;
      6'h0C: rmux = c_engine;
      6'h0D: rmux = c_rd_bytes;
      6'h0E: rmux = c_wr_bytes;
      6'h0F: rmux = c_ar_stall;
      6'h10: rmux = c_r_wait;
      6'h11: rmux = c_w_stall;
      6'h12: rmux = c_layers;
      6'h13: rmux = c_last_layer;
      6'h14: rmux = CFG0;
      6'h15: rmux = CFG1;
      6'h16: rmux = CFG2;
      6'h17: rmux = dram_size;
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
  // the window check (DRAM_SIZE, 0 = off): a burst's last byte must lie below DRAM_BASE + DRAM_SIZE
  wire [32:0] ar_end = {1'b0, e_araddr} + ({25'd0, e_arlen} + 33'd1) * B;
  wire [32:0] aw_end = {1'b0, e_awaddr} + ({25'd0, m_axi_awlen} + 33'd1) * B;
  wire ar_out = (dram_size != 32'd0) && (ar_end > {1'b0, dram_size});
  wire aw_out = (dram_size != 32'd0) && (aw_end > {1'b0, dram_size});
  wire ar_bad = ar_hs && !fetching && ar_out;
  wire aw_bad = m_axi_awvalid && m_axi_awready && aw_out;
  reg       wfl [0:15];
  reg [3:0] wq_h, wq_t;
  assign m_axi_wstrb = (wq_h != wq_t && wfl[wq_h]) ? {(DATA_W/8){1'b0}} : e_wstrb;

  assign irq = |(irq_st & irq_en);

  always @(posedge clk) begin
    eng_start <= 1'b0;
    if (!rst_n) begin
      st <= S_IDLE;
      dram_base <= 32'd0; prog_base <= 32'd0; prog_count <= 32'd0; dram_size <= 32'd0;
      irq_en <= 2'b00; irq_st <= 2'b00;
      st_done <= 1'b0; st_err <= 1'b0;
      err_code <= E_NONE; err_resp <= 2'b00; err_index <= 16'd0;
      rd_inflight <= 5'd0;
      wq_h <= 4'd0; wq_t <= 4'd0;
      c_cycles <= 32'd0; c_fetch <= 32'd0; c_engine <= 32'd0; c_rd_bytes <= 32'd0;
      c_wr_bytes <= 32'd0; c_ar_stall <= 32'd0; c_r_wait <= 32'd0; c_w_stall <= 32'd0;
      c_layers <= 32'd0; c_last_layer <= 32'd0; cur_layer <= 16'd0;
    end else begin
      // register writes
      if (wr_go) begin
        case (wa)
          10'h003: if (s_axil_wstrb[0]) irq_en <= s_axil_wdata[1:0];
          10'h004: irq_st <= irq_st & ~(s_axil_wdata[1:0] & {2{s_axil_wstrb[0]}});
          10'h007: if (st == S_IDLE) dram_base <= merge(dram_base, s_axil_wdata, s_axil_wstrb) & 32'hFFFF_F000;
          10'h008: if (st == S_IDLE) prog_base <= merge(prog_base, s_axil_wdata, s_axil_wstrb) & 32'hFFFF_FF80;
          10'h009: if (st == S_IDLE) prog_count <= merge(prog_count, s_axil_wdata, s_axil_wstrb);
          10'h017: if (st == S_IDLE) dram_size <= merge(dram_size, s_axil_wdata, s_axil_wstrb);
          default: ;
        endcase
      end
      if (ar_hs) rd_inflight <= rd_inflight + ((r_hs && m_axi_rlast) ? 5'd0 : 5'd1);
      else if (r_hs && m_axi_rlast) rd_inflight <= rd_inflight - 5'd1;
      if (st != S_IDLE) begin
        c_cycles <= c_cycles + 32'd1;
        if (st != S_RUN) c_fetch <= c_fetch + 32'd1;
        if (eng_busy) c_engine <= c_engine + 32'd1;
        if (r_hs) c_rd_bytes <= c_rd_bytes + B;
        if (w_hs) c_wr_bytes <= c_wr_bytes + B;
        if (m_axi_arvalid && !m_axi_arready) c_ar_stall <= c_ar_stall + 32'd1;
        if (rd_inflight != 5'd0 && !r_hs) c_r_wait <= c_r_wait + 32'd1;
        if ((m_axi_awvalid && !m_axi_awready) || (m_axi_wvalid && !m_axi_wready))
          c_w_stall <= c_w_stall + 32'd1;
      end
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
      case (st)
        S_IDLE: if (start_req) begin
          st_done <= 1'b0; st_err <= 1'b0;
          err_code <= E_NONE; err_resp <= 2'b00; err_index <= 16'd0;
          c_cycles <= 32'd0; c_fetch <= 32'd0; c_engine <= 32'd0; c_rd_bytes <= 32'd0;
          c_wr_bytes <= 32'd0; c_ar_stall <= 32'd0; c_r_wait <= 32'd0; c_w_stall <= 32'd0;
          c_layers <= 32'd0; c_last_layer <= 32'd0; cur_layer <= 16'd0;
          f_addr <= prog_base[ADDR_W-1:0];
          f_left <= prog_count << (7 - LB);   // BPD beats per descriptor
          f_beat <= {BPD_W{1'b0}};
          f_desc <= 16'd0;
          if (prog_count == 32'd0 || prog_count > PROG_DEPTH32) begin
            st_err <= 1'b1; err_code <= E_COUNT; st <= S_FEND;
          end else begin
            st <= S_FAR;
          end
        end
        S_FAR: if (m_axi_arready) begin
          f_left <= f_left - f_len_c;
          f_addr <= f_addr + (f_len_c[ADDR_W-1:0] << LB);
          st     <= S_FR;
        end
        S_FR: if (m_axi_rvalid) begin
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
          if (m_axi_rlast) st <= (f_left == 32'd0) ? S_FEND : S_FAR;
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
      end
    end
  end

  wire unused_ok = &{1'b0, f_len_c[31:8], s_axil_awaddr[1:0]};
endmodule
`default_nettype wire
