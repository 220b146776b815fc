// One column's group-dequant unit at the south edge of the array. Per tile row it forms
// D = P - z * S exactly and adds it into the row's group accumulator; at a group's last tile
// it dequantizes: Y = RNE(Y + RNE(RNE(acc) * s)), pipelined to take one row per cycle at the
// PE's clock (22 stages, 26 with INT8 activations: every FP32 step split). The FP32-accumulating and dequant-first
// (fma) engines have their own variants, one stage per FP32 step; all share the ports.
#include <algorithm>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include "blocks/engine/engine_emit.h"
#include "blocks/fp/fp32_add.h"
#include "blocks/fp/fp32_round.h"
#include "blocks/fp/pipeline_cut.h"
#include "blocks/storage/row_file.h"
#include "golden/mpgemm.h"

namespace mixpe {

using hdl::lit;
using hdl::sext;
using hdl::slice;
using hdl::zext;

namespace {

// The control that travels down the pipeline with a finished group.
hdl::Bundle dequant_control(const EngineConfig& c) {
  hdl::Bundle b;
  b.field("m", c.m_width()).field("first_group", 1).field("last_group", 1).field("poison", 1);
  return b;
}

// The control of a row entering stage 2, packed.
std::string control_in(const EngineConfig& c) {
  return dequant_control(c).pack(
      {{"m", "m_i"}, {"first_group", "first_group_i"}, {"last_group", "last_group_i"}, {"poison", "poison_new"}});
}

// A stage's valid bit `<stage>_valid` (reset) and the clock gate its data registers sit behind
// (`<stage>_gclk`, enabled by the incoming valid: gate_stage_registers connects them).
void valid_stage(hdl::Module& m, const std::string& from, const std::string& to, const std::string& comment) {
  m.state(to, 1, from, true, comment);
  const std::string stage = to.substr(0, to.rfind("_valid"));
  m.wire(stage + "_gclk", 1, "the stage's clock: it runs only in a cycle whose row moves in");
  m.instance(clock_gate_module(), "u_" + stage + "_gate",
             {{"clk_i", "clk_i"}, {"en_i", from}, {"gclk_o", stage + "_gclk"}});
}

// Every data register `<stage>_<name>` of a stage made by valid_stage onto that stage's gated clock.
void gate_stage_registers(hdl::Module& m) {
  for (hdl::Reg& r : m.regs) {
    const size_t cut = r.name.find('_');
    if (r.reset_value.empty() && cut != std::string::npos) {
      const std::string gclk = r.name.substr(0, cut) + "_gclk";
      if (std::any_of(m.wires.begin(), m.wires.end(), [&](const hdl::Wire& w) { return w.name == gclk; }))
        r.clock = gclk;
    }
  }
}

// The ports every variant has; `sum_w` is the width of S (0: none).
void group_ports(hdl::Module& m, const EngineConfig& c, int sum_w) {
  m.params = c.params();
  m.latency = {{"p_to_final", c.dequant_stages()}};
  m.input("clk_i", 1, "clock");
  m.input("rst_ni", 1, "asynchronous reset, active low");
  m.input("valid_i", 1, "a tile row arrives");
  m.input("m_i", c.m_width(), "its row index");
  m.input("first_tile_i", 1, "first tile of its group");
  m.input("last_tile_i", 1, "last tile of its group: dequantize");
  m.input("first_group_i", 1, "first group of the N tile: Y starts at +0");
  m.input("last_group_i", 1, "last group of the N tile: Y is final");
  m.input("poison_i", 1, "a NaN/Inf activation in this tile row");
  m.input("p_i", c.pe.psum_width(), "the column's sum of R products");
  if (sum_w) m.input("sum_i", sum_w, sum_w == 32 ? "S of the tile row: the FP32 sum column" : "S of the tile row");
  if (c.exp_width()) m.input("exp_i", c.exp_width(), "the block exponent");
  if (c.has_zero()) m.input("zero_i", c.pe.weight_bits, "this column's zero point");
  if (c.has_scales()) m.input("scale_i", 16, "this column's FP16 scale");
  if (!is_float(c.pe.act)) m.input("row_scale_i", 32, "the row's FP32 activation scale (INT8)");
  m.input("rd_m_i", c.m_width(), "output read address");
  m.output("rd_y_o", 32, "Y[rd_m_i]");
  m.output("final_o", 1, "a final Y row was written this cycle");
}

// Stages k .. k+2 of a group's dequant: t = RNE(d * s), Y = RNE(Y + t), write Y (INT8: times the
// row scale; a poisoned row: NaN). `d` is an FP32 wire beside the stage k-1 registers
// s{k-1}_valid, _ctl, _scale and (INT8) _rs.
void dequant_tail(hdl::Module& m, const EngineConfig& c, int k, const std::string& d) {
  const int mw = c.m_width();
  const hdl::Bundle ctl = dequant_control(c);
  const int ctlw = ctl.width();
  const bool int8 = !is_float(c.pe.act);
  auto s = [](int i, const char* what) { return fmt::format("s{}_{}", i, what); };
  valid_stage(m, s(k - 1, "valid_q"), s(k, "valid"), fmt::format("stage {}: times the scale", k));
  m.stage(s(k - 1, "ctl_q"), s(k, "ctl"), ctlw);
  m.stage(d, s(k, "d"), 32);
  m.stage(s(k - 1, "scale_q"), s(k, "scale"), 16);
  if (int8) m.stage(s(k - 1, "rs_q"), s(k, "rs"), 32);
  m.wire(s(k, "t"), 32);
  emit_fp32_mul(m, "ms_", s(k, "d_q"), s(k, "scale_q"), kFp16, s(k, "t"));

  const int a = k + 1;
  valid_stage(m, s(k, "valid_q"), s(a, "valid"), fmt::format("stage {}: add into Y", a));
  m.stage(s(k, "ctl_q"), s(a, "ctl"), ctlw);
  m.stage(s(k, "t"), s(a, "t"), 32);
  if (int8) m.stage(s(k, "rs_q"), s(a, "rs"), 32);
  m.wire(s(a, "m"), mw);
  m.assign(s(a, "m"), ctl.unpack(s(a, "ctl_q"), "m"));
  m.wire(s(a, "y_old"), 32);
  m.assign(s(a, "y_old"), fmt::format("{} ? 32'd0 : y_mem_rd0", ctl.unpack(s(a, "ctl_q"), "first_group")));
  m.wire(s(a, "y"), 32);
  m.instance(fp32_add_module(), "u_add_y", {{"a_i", s(a, "y_old")}, {"b_i", s(a, "t_q")}, {"y_o", s(a, "y")}});

  const int w = k + 2;
  valid_stage(m, s(a, "valid_q"), s(w, "valid"), fmt::format("stage {}: write Y", w));
  m.stage(s(a, "m"), s(w, "m"), mw);
  m.stage(ctl.unpack(s(a, "ctl_q"), "last_group"), s(w, "last"), 1, "the N tile's last group: Y is final");
  m.stage(ctl.unpack(s(a, "ctl_q"), "poison"), s(w, "poison"), 1);
  m.stage(s(a, "y"), s(w, "y"), 32);
  std::string y = s(w, "y_q");
  if (int8) {
    m.stage(s(a, "rs_q"), s(w, "rs"), 32);
    m.wire(s(w, "scaled"), 32);
    emit_fp32_mul(m, "mr_", s(w, "y_q"), s(w, "rs_q"), kFp32, s(w, "scaled"));
    y = fmt::format("({} ? {} : {})", s(w, "last_q"), s(w, "scaled"), s(w, "y_q"));
  }
  m.wire(s(w, "y_final"), 32, "a poisoned row's final value is NaN");
  m.assign(s(w, "y_final"), fmt::format("({} & {}) ? {} : {}", s(w, "last_q"), s(w, "poison_q"), fp32_nan(), y));
  const std::vector<std::string> yr =
      add_row_file(m, "y_mem", 32, c.depth, s(w, "valid_q"), s(w, "m_q"), s(w, "y_final"), {s(a, "m"), "rd_m_i"},
                   "Y per row in flight (FP32)");
  m.assign("final_o", fmt::format("{} & {}", s(w, "valid_q"), s(w, "last_q")));
  m.assign("rd_y_o", yr[1]);
}

// The fma baseline: Y = RNE(Y + P) per tile, Y from +0 at the N tile's first tile.
hdl::Module group_unit_fma(const EngineConfig& c) {
  hdl::Module m;
  m.name = fmt::format("mixpe_group_unit_{}", c.suffix());
  m.description =
      "Output accumulator of one column of the dequant-first (fma) baseline: Y = RNE_fp32(Y + P) for every tile\n"
      "(Y starts at +0 with the N tile's first tile); a poisoned row's final value is NaN. Two stages.";
  group_ports(m, c, 0);
  m.unused_wire("flags_unused", 2, "the fma baseline has no groups: only the N tile's first and last tiles matter");
  m.assign("flags_unused", "{first_tile_i, last_tile_i}");
  m.wire("first", 1, "the N tile's first tile");
  m.assign("first", "first_tile_i & first_group_i");
  m.wire("word", 33);
  m.assign("word", "y_mem_rd0");
  m.wire("y_old", 32);
  m.assign("y_old", "first ? 32'd0 : word[31:0]");
  m.wire("y_new", 32);
  m.instance(fp32_add_module(), "u_add", {{"a_i", "y_old"}, {"b_i", "p_i"}, {"y_o", "y_new"}});
  m.wire("poison_new", 1);
  m.assign("poison_new", "(first ? 1'b0 : word[32]) | poison_i");
  valid_stage(m, "valid_i", "s2_valid", "stage 2: write");
  m.stage("m_i", "s2_m", c.m_width());
  m.stage("{poison_new, y_new}", "s2_word", 33);
  m.stage("last_tile_i & last_group_i", "s2_last", 1);
  const std::vector<std::string> y = add_row_file(m, "y_mem", 33, c.depth, "s2_valid_q", "s2_m_q", "s2_word_q",
                                                  {"m_i", "rd_m_i"}, "{poison, Y} per row in flight");
  m.assign("final_o", "s2_valid_q & s2_last_q");
  m.wire("rd_word", 33);
  m.assign("rd_word", y[1]);
  m.assign("rd_y_o", fmt::format("rd_word[32] ? {} : rd_word[31:0]", fp32_nan()));
  gate_stage_registers(m);
  return m;
}

// MixPE PEs with FP32 accumulation: P and S summed per group in FP32, then
// D = RNE(P - RNE(z * S)), Y = RNE(Y + RNE(D * s)) (docs/numerics.md, the fp32 datapath).
hdl::Module group_unit_fp32(const EngineConfig& c) {
  const int b = c.pe.weight_bits;
  const bool int8 = !is_float(c.pe.act);
  hdl::Module m;
  m.name = fmt::format("mixpe_group_unit_{}", c.suffix());
  m.description =
      "Group-dequant unit of one column, FP32 accumulation. Stage 1: the group sums P and S (FP32, block after\n"
      "block, from +0). At a group's last tile: stage 2 z * S, stage 3 D = P - z S, stage 4 D * s, stage 5\n"
      "Y + t, stage 6 writes Y (INT8: times the row scale; a poisoned row: NaN). Each step rounds to FP32.";
  group_ports(m, c, 32);
  m.wire("word", 65);
  m.assign("word", "acc_mem_rd0");
  m.wire("p_old", 32);
  m.assign("p_old", "first_tile_i ? 32'd0 : word[63:32]");
  m.wire("s_old", 32);
  m.assign("s_old", "first_tile_i ? 32'd0 : word[31:0]");
  m.wire("p_new", 32);
  m.wire("s_new", 32);
  m.instance(fp32_add_module(), "u_add_p", {{"a_i", "p_old"}, {"b_i", "p_i"}, {"y_o", "p_new"}});
  m.instance(fp32_add_module(), "u_add_s", {{"a_i", "s_old"}, {"b_i", "sum_i"}, {"y_o", "s_new"}});
  m.wire("poison_new", 1);
  m.assign("poison_new", "((first_tile_i & first_group_i) ? 1'b0 : word[64]) | poison_i");
  add_row_file(m, "acc_mem", 65, c.depth, "valid_i", "m_i", "{poison_new, p_new, s_new}", {"m_i"},
               "{poison, P, S} per row in flight");
  valid_stage(m, "valid_i & last_tile_i", "s2_valid", "stage 2: z * S");
  m.stage(control_in(c), "s2_ctl", dequant_control(c).width());
  m.stage("p_new", "s2_p", 32);
  m.stage("s_new", "s2_s", 32);
  m.stage("scale_i", "s2_scale", 16);
  if (c.has_zero()) m.stage("zero_i", "s2_zero", b);
  if (int8) m.stage("row_scale_i", "s2_rs", 32);
  m.wire("s2_z32", 32, "the zero point as FP32 (exact)");
  if (c.has_zero())
    emit_fp32_pack(m, "zp_", "1'b0", "s2_zero_q", b, "11'd127", "s2_z32");
  else
    m.assign("s2_z32", "32'd0");
  m.wire("s2_zs", 32);
  emit_fp32_mul(m, "mz_", "s2_s_q", "s2_z32", kFp32, "s2_zs");

  valid_stage(m, "s2_valid_q", "s3_valid", "stage 3: D = P - z S");
  m.stage("s2_ctl_q", "s3_ctl", dequant_control(c).width());
  m.stage("s2_p_q", "s3_p", 32);
  m.stage("{~s2_zs[31], s2_zs[30:0]}", "s3_nzs", 32);
  m.stage("s2_scale_q", "s3_scale", 16);
  if (int8) m.stage("s2_rs_q", "s3_rs", 32);
  m.wire("s3_d", 32);
  m.instance(fp32_add_module(), "u_add_d", {{"a_i", "s3_p_q"}, {"b_i", "s3_nzs_q"}, {"y_o", "s3_d"}});
  dequant_tail(m, c, 4, "s3_d");
  gate_stage_registers(m);
  return m;
}

// The biased FP32 exponent of the group accumulator's LSB: a constant (exact and int8) or an
// offset to add to the block exponent (prealign). The golden datapath's exponents.
int acc_lsb_offset(const EngineConfig& c) { return 127 + column_sum_lsb_exp(c, 0) - c.frac_bits(); }

// The fixed-point unit's pipeline: what travels beside the data (valid, with a reset; the row's
// control, scale and exponent), registered at every cut as one packed bundle g<k>_ctl.
struct GroupPipe {
  hdl::Module& m;
  std::string valid;
  std::vector<LiveValue> items;
  int cuts = 0;
  std::string next;                                      // what the stage after the next cut does: its section's title
  std::map<std::string, std::pair<int, int>> bits = {};  // where each field sits in the last bundle (hi, lo)
  int bundle_width = 0;                                  // the last bundle's width (0: none)

  LiveValue& item(const std::string& label) {
    for (LiveValue& v : items)
      if (v.label == label) return v;
    throw std::logic_error("group unit pipeline: no value " + label);
  }
  // The value as a plain name: a field of the stage's bundle is given a wire g<k>_<label> first.
  std::string& at(const std::string& label) {
    LiveValue& v = item(label);
    if (v.name.find('[') != std::string::npos) {
      const std::string w = fmt::format("g{}_{}", cuts, label);
      m.wire(w, v.width);
      m.assign(w, v.name);
      v.name = w;
    }
    return v.name;
  }
  void drop(const std::string& label) {
    std::erase_if(items, [&](const LiveValue& v) { return v.label == label; });
  }
  // The stage's data registers load only when a row moves in: they sit behind a clock gate
  // enabled by the incoming valid (the dequant stages hold a row one cycle in G / R tiles).
  void cut(std::vector<LiveValue>& live) {
    ++cuts;
    const std::string valid_in = valid;
    m.state(fmt::format("g{}_valid", cuts), 1, valid, true, fmt::format("pipeline stage {}", cuts + 1));
    valid = fmt::format("g{}_valid_q", cuts);
    const std::string gclk = fmt::format("g{}_gclk", cuts);
    m.wire(gclk, 1, "the stage's clock: it runs only in a cycle whose row moves in");
    m.instance(clock_gate_module(), fmt::format("u_g{}_gate", cuts),
               {{"clk_i", "clk_i"}, {"en_i", valid_in}, {"gclk_o", gclk}});
    if (items.empty()) {
      bits.clear(), bundle_width = 0;
    } else {  // the bundle: runs of the previous one's bits as one slice (all of it: its name)
      std::vector<std::string> parts, labels;
      int width = 0, run_hi = -1, run_lo = -1;
      const std::string prev = fmt::format("g{}_ctl_q", cuts - 1);
      auto end_run = [&] {
        if (run_hi >= 0)
          parts.push_back(run_hi == bundle_width - 1 && run_lo == 0 ? prev : hdl::slice(prev, run_hi, run_lo));
        run_hi = -1;
      };
      for (const LiveValue& v : items) {
        labels.push_back(v.label);
        width += v.width;
        const auto at = bits.find(v.label);
        if (at != bits.end() && run_hi >= 0 && at->second.first == run_lo - 1) {
          run_lo = at->second.second;
        } else if (at != bits.end()) {
          end_run();
          run_hi = at->second.first, run_lo = at->second.second;
        } else {
          end_run();
          parts.push_back(v.name);
        }
      }
      end_run();
      const std::string from = parts.size() == 1 ? parts[0] : hdl::cat(parts);
      const std::string r = fmt::format("g{}_ctl", cuts);
      m.stage(from, r, width, fmt::format("what travels with the row: {{{}}}", fmt::join(labels, ", ")));
      m.regs.back().clock = gclk;
      int hi = width - 1;
      bits.clear();
      for (LiveValue& v : items) {
        v.name = hdl::slice(r + "_q", hi, hi - v.width + 1);
        bits[v.label] = {hi, hi - v.width + 1};
        hi -= v.width;
      }
      bundle_width = width;
    }
    for (LiveValue& v : live) {
      const std::string r = fmt::format("g{}_{}", cuts, v.label);
      m.stage(v.name, r, v.width);
      m.regs.back().clock = gclk;
      v.name = r + "_q";
    }
    // what follows reads these registers: the next stage's section
    m.section(fmt::format("Stage {}{}{}", cuts + 1, next.empty() ? "" : ": ", next));
    next.clear();
  }
  // cuts `live` and returns its registered names in order
  std::vector<std::string> cut_values(std::vector<LiveValue> live) {
    cut(live);
    std::vector<std::string> names;
    for (const LiveValue& v : live) names.push_back(v.name);
    return names;
  }
  PipelineCut fn() {
    return [this](std::vector<LiveValue>& live) { cut(live); };
  }
};

// Stage 1: D = P - z S (exact). Stage 2: read the row's group accumulator. Stage 3: align the
// accumulator and D to the larger block exponent (prealign; floor), or take +0 at a group's first
// tile. Stages 4-5: add (low half, then high half), write back. The same row returns no sooner
// than its write (EngineConfig::row_gap()): no forwarding is needed.
std::string accumulate_group(GroupPipe& g, const EngineConfig& c) {
  hdl::Module& m = g.m;
  const int pw = c.pe.psum_width(), sw = c.sum_width(), ew = c.exp_width(), dw = c.diff_width();
  const int accw = c.acc_width(), F = c.frac_bits(), b = c.pe.weight_bits;
  m.wire("diff", dw, "D = P - z * S, exact");
  if (c.has_zero()) {
    m.wire("zs", dw);
    if (c.pe.zero_offset()) {  // Booth PEs sum x (q - 2^(b-1)): the zero point enters as z - 2^(b-1), signed
      m.wire("zero_v", b, "z - 2^(b-1): the top bit inverted");
      m.assign("zero_v", b > 1 ? fmt::format("{{~zero_i[{}], {}}}", b - 1, slice("zero_i", b - 2, 0)) : "~zero_i");
      m.assign("zs", fmt::format("{} * {}", sext("sum_i", sw, dw), sext("zero_v", b, dw)));
    } else {
      m.assign("zs", fmt::format("{} * {}", sext("sum_i", sw, dw), zext("zero_i", b, dw)));
    }
    m.assign("diff", fmt::format("{} - zs", sext("p_i", pw, dw)));
  } else {
    m.unused_wire("sum_unused", sw, "symmetric weights have no zero point, so S is not needed");
    m.assign("sum_unused", "sum_i");
    m.assign("diff", sext("p_i", pw, dw));
  }
  g.next = "read the row's group accumulator";
  g.items.push_back({"diff", g.cut_values({{"diff", "diff", dw}})[0], dw});

  const int word = 1 + ew + accw;  // {poison, exp, acc}
  m.wire("acc_word", word);
  m.assign("acc_word", "acc_mem_rd0");
  const std::string read_m = g.at("m");
  const int read_at = g.cuts;
  g.next = "align the accumulator and D (+0 at a group's first tile)";
  const std::string w = g.cut_values({{"word", "acc_word", word}})[0];

  m.wire("acc_old", accw);
  m.assign("acc_old", slice(w, accw - 1, 0));
  m.wire("poison_old", 1);
  m.assign("poison_old", fmt::format("{}[{}]", w, word - 1));
  m.wire("diff_ext", accw);
  m.assign("diff_ext", sext(g.at("diff"), dw, accw));
  m.wire("scaled", accw, "D with F fraction bits");
  m.assign("scaled", F ? fmt::format("diff_ext << {}", F) : "diff_ext");
  const std::string first = g.at("first_tile");
  m.wire("op_acc", accw, "the accumulator's term");
  m.wire("op_in", accw, "D's term");
  std::vector<LiveValue> live = {{"op_acc", "op_acc", accw}, {"op_in", "op_in", accw}, {"poison_new", "poison_new", 1}};
  if (ew) {
    const std::string e = g.at("exp");
    m.wire("exp_old", ew);
    m.assign("exp_old", slice(w, accw + ew - 1, accw));
    m.wire("exp_up", 1, "the block's exponent is above the accumulator's: re-align the accumulator");
    m.assign("exp_up", fmt::format("{} > exp_old", e));
    m.wire("acc_aligned", accw);
    m.assign("acc_aligned", fmt::format("$signed(acc_old) >>> ({} - exp_old)", e));
    m.wire("in_aligned", accw);
    m.assign("in_aligned", fmt::format("$signed(scaled) >>> (exp_old - {})", e));
    m.assign("op_acc", fmt::format("{} ? {} : exp_up ? acc_aligned : acc_old", first, lit(accw, 0)));
    m.assign("op_in", fmt::format("({} | exp_up) ? scaled : in_aligned", first));
    m.wire("exp_new", ew);
    m.assign("exp_new", fmt::format("({} | exp_up) ? {} : exp_old", first, e));
    live.push_back({"exp_new", "exp_new", ew});
    g.drop("exp");
  } else {
    m.assign("op_acc", fmt::format("{} ? {} : acc_old", first, lit(accw, 0)));
    m.assign("op_in", "scaled");
  }
  m.wire("poison_new", 1, "sticky over the N tile's tiles");
  m.assign("poison_new",
           fmt::format("(({} & {}) ? 1'b0 : poison_old) | {}", first, g.at("first_group"), g.at("poison")));
  g.drop("diff");
  g.drop("poison");
  g.drop("first_tile");
  g.next = "add, low half";
  const std::vector<std::string> ops = g.cut_values(live);
  // the addition in two halves, the low half's carry registered between them
  const int lo = accw / 2, hi = accw - lo;
  m.wire("sum_lo", lo + 1);
  m.assign("sum_lo", fmt::format("{} + {}", zext(slice(ops[0], lo - 1, 0), lo, lo + 1),
                                 zext(slice(ops[1], lo - 1, 0), lo, lo + 1)));
  m.wire("acc_hi", hi);
  m.wire("in_hi", hi);
  m.assign("acc_hi", slice(ops[0], accw - 1, lo));
  m.assign("in_hi", slice(ops[1], accw - 1, lo));
  std::vector<LiveValue> halves = {
      {"sum_lo", "sum_lo", lo + 1}, {"acc_hi", "acc_hi", hi}, {"in_hi", "in_hi", hi}, {"poison_new", ops[2], 1}};
  if (ew) halves.push_back({"exp_new", ops[3], ew});
  g.next = "add, high half; write the accumulator back";
  const std::vector<std::string> h = g.cut_values(halves);
  m.wire("acc_new", accw);
  const std::string carry = fmt::format("{}[{}]", h[0], lo);
  // carry-select: the high half's lower part ripples while both sums of its upper part form (the
  // write data fans out to every row: a ripple through the whole half set the clock)
  const int hl = hi / 2, hh = hi - hl;
  if (hl < 1) throw std::logic_error("group unit: an accumulator under 4 bits has no high half to split");
  m.wire("sum_hi_lo", hl + 1, "the high half's lower part and its carry");
  m.assign("sum_hi_lo", fmt::format("{} + {} + {}", zext(slice(h[1], hl - 1, 0), hl, hl + 1),
                                    zext(slice(h[2], hl - 1, 0), hl, hl + 1), zext(carry, 1, hl + 1)));
  m.wire("sum_hi_up0", hh, "its upper part for a carry of 0");
  m.assign("sum_hi_up0", fmt::format("{} + {}", slice(h[1], hi - 1, hl), slice(h[2], hi - 1, hl)));
  m.wire("sum_hi_up1", hh, "and for a carry of 1");
  m.assign("sum_hi_up1", fmt::format("{} + {} + {}", slice(h[1], hi - 1, hl), slice(h[2], hi - 1, hl), lit(hh, 1)));
  m.assign("acc_new", fmt::format("{{sum_hi_lo[{}] ? sum_hi_up1 : sum_hi_up0, {}, {}}}", hl,
                                  slice("sum_hi_lo", hl - 1, 0), slice(h[0], lo - 1, 0)));
  add_row_file(m, "acc_mem", word, c.depth, g.valid, g.at("m"),
               ew ? fmt::format("{{{}, {}, acc_new}}", h[3], h[4]) : fmt::format("{{{}, acc_new}}", h[3]), {read_m},
               "{poison, block exponent, group accumulator} per row in flight");
  if (g.cuts - read_at + 1 != c.acc_update_span())
    throw std::logic_error("group unit: accumulator read-to-write span differs from EngineConfig::acc_update_span");
  g.items.push_back({"poison", h[3], 1});
  if (ew) g.items.push_back({"exp", h[4], ew});
  return "acc_new";
}

// Integer PEs (prealigned, exact or INT8): exact group sums in fixed point, then the dequant,
// every FP32 step pipelined (docs/numerics.md, steps 3-6).
hdl::Module group_unit_fixed(const EngineConfig& c) {
  const int ew = c.exp_width(), accw = c.acc_width(), mw = c.m_width();
  const bool int8 = !is_float(c.pe.act);
  hdl::Module m;
  m.name = fmt::format("mixpe_group_unit_{}", c.suffix());
  m.description = fmt::format(
      "Group-dequant unit of one column (docs/numerics.md, steps 3-6), {} stages. Per tile row: D = P - z * S\n"
      "(exact), read the row's group accumulator, align (F fraction bits below the largest block exponent;\n"
      "floor on re-alignment), add (2) and write back. At a group's last tile: negate (2), round the\n"
      "accumulator to FP32 (3), multiply by the FP16 scale (5), read Y, add (FP32, 5), write Y{} (a\n"
      "poisoned row: NaN).\n"
      "Memories: the group accumulators and Y, one entry per row in flight.",
      c.dequant_stages(), int8 ? " times the row's FP32 scale (5)" : "");
  group_ports(m, c, c.sum_width());
  GroupPipe g{m, "valid_i", {}, 0, ""};
  g.items = {{"m", "m_i", mw},
             {"first_tile", "first_tile_i", 1},
             {"last_tile", "last_tile_i", 1},
             {"first_group", "first_group_i", 1},
             {"last_group", "last_group_i", 1},
             {"poison", "poison_i", 1},
             {"scale", "scale_i", 16}};
  if (ew) g.items.push_back({"exp", "exp_i", ew});
  if (int8) g.items.push_back({"rs", "row_scale_i", 32});
  const std::string acc = accumulate_group(g, c);

  // the dequant, once per group: only a group's last tile goes on
  m.wire("dq_valid", 1, "a group's last tile: dequantize");
  m.assign("dq_valid", fmt::format("{} & {}", g.valid, g.at("last_tile")));
  g.valid = "dq_valid";
  g.drop("last_tile");
  g.next = "negate, low half (the dequant: a group's last tile only)";
  const std::string a = g.cut_values({{"acc", acc, accw}})[0];
  // the magnitude (a ^ neg) + neg in two halves, the low half's carry registered between them
  const int lo = accw / 2, hi = accw - lo;
  m.wire("neg", 1);
  m.assign("neg", fmt::format("{}[{}]", a, accw - 1));
  m.wire("mag_lo", lo + 1);
  m.assign("mag_lo",
           fmt::format("{} + {}", zext(fmt::format("({} ^ {{{}{{neg}}}})", slice(a, lo - 1, 0), lo), lo, lo + 1),
                       zext("neg", 1, lo + 1)));
  m.wire("flip_hi", hi);
  m.assign("flip_hi", fmt::format("{} ^ {{{}{{neg}}}}", slice(a, accw - 1, lo), hi));
  m.wire("lsb", 13, "biased FP32 exponent of the accumulator's LSB");
  const int off = acc_lsb_offset(c);
  const std::string offs = fmt::format("{} {}", off >= 0 ? "+" : "-", lit(13, unsigned(std::abs(off))));
  m.assign("lsb", ew ? fmt::format("{} {}", zext(g.at("exp"), ew, 13), offs) : lit(13, unsigned(off)));
  if (ew) g.drop("exp");
  g.next = "negate, high half";
  const std::vector<std::string> r0 =
      g.cut_values({{"neg", "neg", 1}, {"mag_lo", "mag_lo", lo + 1}, {"flip_hi", "flip_hi", hi}, {"lsb", "lsb", 13}});
  m.wire("mag", accw);
  m.assign("mag", fmt::format("{{{} + {}, {}}}", r0[2], zext(fmt::format("{}[{}]", r0[1], lo), 1, hi),
                              slice(r0[1], lo - 1, 0)));
  g.next = "round the accumulator to FP32";
  const std::vector<std::string> r = g.cut_values({{"neg", r0[0], 1}, {"mag", "mag", accw}, {"lsb", r0[3], 13}});
  m.wire("d32", 32, "the group's sum, rounded to FP32");
  emit_fp32_round(m, "rd_", r[0], r[1], accw, r[2], "d32", g.fn());
  g.next = "times the FP16 scale";
  const std::string d = g.cut_values({{"d32", "d32", 32}})[0];
  m.wire("t", 32, "RNE(d * s)");
  const std::string scale = g.at("scale");
  g.drop("scale");
  emit_fp32_mul(m, "ms_", d, scale, kFp16, "t", g.fn());
  g.next = "read Y";
  const std::string t = g.cut_values({{"t", "t", 32}})[0];

  // Y = RNE(Y + t): read, then the five-stage adder; Y of this row is written y_update_span()
  // cycles after the read, and the row's next group comes no sooner (EngineConfig::row_gap())
  m.wire("y_old", 32);
  m.assign("y_old", fmt::format("{} ? 32'd0 : y_mem_rd0", g.at("first_group")));
  const std::string y_read_m = g.at("m");
  const int y_read_at = g.cuts;
  g.drop("first_group");
  g.next = "Y + t (FP32, five stages)";
  const std::vector<std::string> yt = g.cut_values({{"y_old", "y_old", 32}, {"t", t, 32}});
  m.wire("y_sum", 32);
  m.instance(fp32_add_module(5), "u_add_y", {{"clk_i", "clk_i"}, {"a_i", yt[0]}, {"b_i", yt[1]}, {"y_o", "y_sum"}});
  for (int i = 0; i < 4; ++i) {
    std::vector<LiveValue> none;
    g.cut(none);
  }
  g.next = "write Y";
  std::string y = g.cut_values({{"y", "y_sum", 32}})[0];
  if (int8) {
    m.wire("scaled_y", 32, "the final Y times the row's FP32 scale");
    g.items.push_back({"y", y, 32});
    const std::string rs = g.at("rs");
    g.drop("rs");
    emit_fp32_mul(m, "mr_", y, rs, kFp32, "scaled_y", g.fn());
    y = fmt::format("({} ? scaled_y : {})", g.at("last_group"), g.at("y"));
  }
  m.wire("y_final", 32, "a poisoned row's final value is NaN");
  m.assign("y_final", fmt::format("({} & {}) ? {} : {}", g.at("last_group"), g.at("poison"), fp32_nan(), y));
  const std::vector<std::string> yr = add_row_file(m, "y_mem", 32, c.depth, g.valid, g.at("m"), "y_final",
                                                   {y_read_m, "rd_m_i"}, "Y per row in flight (FP32)");
  if (g.cuts - y_read_at + 1 != c.y_update_span())
    throw std::logic_error("group unit: Y read-to-write span differs from EngineConfig::y_update_span");
  m.assign("final_o", fmt::format("{} & {}", g.valid, g.at("last_group")));
  m.assign("rd_y_o", yr[1]);
  if (g.cuts + 1 != c.dequant_stages())
    throw std::logic_error("group unit: stages differ from EngineConfig::dequant_stages");
  return m;
}

}  // namespace

hdl::ModulePtr group_unit_module(const EngineConfig& c) {
  if (c.fma()) return hdl::share(group_unit_fma(c));
  if (c.float_accum()) return hdl::share(group_unit_fp32(c));
  return hdl::share(group_unit_fixed(c));
}

}  // namespace mixpe
