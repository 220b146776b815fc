#include "config/options.h"

#include <limits>
#include <optional>

#include <fmt/format.h>

#include "config/presets.h"
#include "numerics/error.h"
#include "numerics/user_text.h"

namespace mixpe {

const std::vector<OptionSpec>& option_schema() {
  constexpr unsigned both = kPeScope | kEngineScope;
  static const std::vector<OptionSpec> schema = {
      {"--preset", "PRESET", "start from a named engine (mixpe list presets); other options override it", kEngineScope,
       false},
      {"--pe", "PE", "PE kind: mixpe (shift-add), lut (table weights), fma (FP16 baseline), int8 (INT8 baseline)", both,
       false},
      {"--weight-format", "WFORMAT", "LUT weights: nf2, nf3, nf4 (a lut PE of that many bits) or table", both, false},
      {"--weight-bits", "WBITS", "weight code bits: 2, 3, 4, 8 (lut: 2..4)", both, false},
      {"--weight-signed", "SIGNED", "signed weight codes (symmetric quantization)", both, true},
      {"--booth", "BOOTH",
       "mixpe prealign: weights recoded to radix-4 (Booth) digits, one partial product per 2 bits (unsigned codes as "
       "q - 2^(b-1))",
       both, true, true},
      {"--lut-terms", "TERMS", "lut: entries of 1-3 signed powers of two, a shift-add PE (0: a multiplier)", both,
       false},
      {"--lut-shift-bits", "SHIFT",
       "lut with terms: bits of a term's shift: 4 (powers 2^-14 .. 2^1) or 3 (2^-6 .. 2^1)", both, false},
      {"--lut-decode", "DECODE",
       "lut: where the index selects its table entry: pe (a decoder in every PE) or column (once per column bus at "
       "weight load; the PE holds the entry)",
       both, false, true},
      {"--int8-psum", "PSUM",
       "int8: partial-sum width: 32 (INT32, default) or column (16 + log2 R bits, as the mixpe PEs)", both, false},
      {"--act", "ACT", "activation format: fp16, bf16, int8", both, false},
      {"--accum", "ACCUM", "accumulation: prealign, exact, fp32 (default: prealign; exact for int8, fp32 for fma)",
       both, false},
      {"--align-bits", "A", "prealign: aligned activation width A, 8..32", both, false},
      {"--pipeline", "PIPE", "registers between product and accumulation: 0, 1", both, false, true},
      {"--rows", "ROWS", "R: array rows, the products a column sums (power of two; engines: 2..G)", both, false},
      {"--cols", "COLS", "C: array columns, 2..64", kEngineScope, false, true},
      {"--group-size", "G", "G: weights per group along K: 32, 64, 128, 256", kEngineScope, false},
      {"--depth", "DEPTH",
       "D: the largest M (rows in flight), a power of two 2..1024 (default: max(16, R / L, 2 x the row gap))",
       kEngineScope, false, true},
      {"--load", "LOAD", "L: weight rows loaded per cycle, a power of two dividing R (R / L cycles per tile)",
       kEngineScope, false, true},
      {"--axis", "AXIS", "the engine behind AXI4-Stream interfaces (s_axis_*/m_axis_y_*; docs/engine.md)", kEngineScope,
       true, true},
      {"--edge-frac-bits", "FRAC", "F: group accumulator bits below a block's LSB (-1: the format's default)",
       kEngineScope, false},
  };
  return schema;
}

namespace {

// What the options set; unset fields take defaults in resolve().
struct Settings {
  std::optional<PeKind> kind;
  bool kind_from_preset = false;   // a user's --weight-format replaces a preset's --pe
  std::optional<int> format_bits;  // --weight-format nfB: B; table: 0
  std::optional<int> bits, terms, align, pipeline, rows, cols, group, depth, load, frac;
  std::optional<int> shift;
  std::optional<bool> is_signed, int8_column_psum, decode_column, booth, axis;
  std::optional<ActFormat> act;
  std::optional<AccumMode> accum;
};

int to_int(const std::string& name, const std::string& v) {
  // the command line's rule (numerics/user_text.h): 010 is refused, not read as 10 or as octal 8
  const std::optional<long long> out = parse_decimal(v);
  if (!out || *out < std::numeric_limits<int>::min() || *out > std::numeric_limits<int>::max())
    fail("{} '{}' is not an integer ({})", shorten(name), shorten(v), kDecimalRule);
  return int(*out);
}

bool to_flag(const std::string& name, const std::string& v) {
  if (v == "1" || v == "true") return true;
  if (v == "0" || v == "false") return false;
  fail("{}={} is not legal: use 1 or 0", shorten(name), shorten(v));
}

void set(Settings& s, const std::string& name, const std::string& v) {
  if (name == "--pe")
    s.kind = parse_pe_kind(v);
  else if (name == "--weight-format") {
    if (v == "nf2" || v == "nf3" || v == "nf4")
      s.format_bits = v[2] - '0';
    else if (v == "table")
      s.format_bits = 0;
    else
      fail("weight format '{}' is not supported: legal values are nf4, nf3, nf2, table", shorten(v));
  } else if (name == "--weight-bits")
    s.bits = to_int(name, v);
  else if (name == "--weight-signed")
    s.is_signed = to_flag(name, v);
  else if (name == "--lut-terms")
    s.terms = to_int(name, v);
  else if (name == "--booth")
    s.booth = to_flag(name, v);
  else if (name == "--lut-shift-bits")
    s.shift = to_int(name, v);
  else if (name == "--lut-decode") {
    if (v != "pe" && v != "column") fail("--lut-decode '{}' is not legal: use pe or column", shorten(v));
    s.decode_column = v == "column";
  } else if (name == "--int8-psum") {
    if (v != "32" && v != "column") fail("--int8-psum '{}' is not legal: use 32 or column", shorten(v));
    s.int8_column_psum = v == "column";
  } else if (name == "--act")
    s.act = parse_act(v);
  else if (name == "--accum")
    s.accum = parse_accum(v);
  else if (name == "--align-bits")
    s.align = to_int(name, v);
  else if (name == "--pipeline")
    s.pipeline = to_int(name, v);
  else if (name == "--rows")
    s.rows = to_int(name, v);
  else if (name == "--cols")
    s.cols = to_int(name, v);
  else if (name == "--group-size")
    s.group = to_int(name, v);
  else if (name == "--depth")
    s.depth = to_int(name, v);
  else if (name == "--load")
    s.load = to_int(name, v);
  else if (name == "--edge-frac-bits")
    s.frac = to_int(name, v);
  else if (name == "--axis")
    s.axis = to_flag(name, v);
  else
    fail("option '{}' does not exist (mixpe list options)", shorten(name));
}

Settings collect(const OptionList& opts) {
  Settings s;
  // a preset first, whatever its position: the options given beside it override it
  for (const auto& [name, value] : opts)
    if (name == "--preset")
      for (const auto& [pn, pv] : parse_option_string(engine_preset(value).options)) set(s, pn, pv);
  s.kind_from_preset = s.kind.has_value();
  for (const auto& [name, value] : opts) s.kind_from_preset &= name != "--pe";
  for (const auto& [name, value] : opts)
    if (name != "--preset") set(s, name, value);
  return s;
}

EngineConfig resolve(const Settings& s) {
  EngineConfig e;
  PeConfig& p = e.pe;
  if (s.format_bits && s.kind && *s.kind != PeKind::kLut && !s.kind_from_preset)
    fail("--weight-format describes LUT weights: it does not combine with --pe {}", pe_kind_name(*s.kind));
  p.kind = s.format_bits ? PeKind::kLut : s.kind.value_or(PeKind::kMixpe);
  const bool int8_pe = p.kind == PeKind::kInt8;
  if (s.format_bits && *s.format_bits && s.bits && *s.bits != *s.format_bits)
    fail("--weight-format nf{} has {}-bit indices, not --weight-bits {}", *s.format_bits, *s.format_bits, *s.bits);
  p.weight_bits = s.bits.value_or(s.format_bits && *s.format_bits ? *s.format_bits : int8_pe ? 8 : 4);
  p.weight_signed = s.is_signed.value_or(int8_pe);
  p.lut_terms = s.terms.value_or(0);
  p.lut_shift_bits = s.shift.value_or(4);
  p.booth = s.booth.value_or(false);
  p.lut_decode_column = s.decode_column.value_or(false);
  p.int8_column_psum = s.int8_column_psum.value_or(false);
  p.act = s.act.value_or(int8_pe ? ActFormat::kInt8 : ActFormat::kFp16);
  p.accum.mode = s.accum.value_or(p.kind == PeKind::kFma                 ? AccumMode::kFp32
                                  : int8_pe || p.act == ActFormat::kInt8 ? AccumMode::kExact
                                                                         : AccumMode::kPrealign);
  // options that only the prealigned datapath reads are refused elsewhere: they would change nothing
  if (p.accum.mode != AccumMode::kPrealign)
    for (const auto& [given, name] :
         {std::pair{s.align.has_value(), "--align-bits"}, std::pair{s.frac.has_value(), "--edge-frac-bits"}})
      if (given)
        fail("{} sets the prealigned datapath: {} accumulation ignores it (drop it)", shorten(name),
             accum_name(p.accum.mode));
  p.accum.align_bits = s.align.value_or(16);
  p.accum.edge_frac_bits = s.frac.value_or(-1);
  p.pipeline = s.pipeline.value_or(0);
  e.rows = s.rows.value_or(16);
  p.accum.block = e.rows;  // a column of the array sums R products
  e.cols = s.cols.value_or(16);
  e.group_size = s.group.value_or(128);
  e.load = s.load.value_or(1);
  e.axis = s.axis.value_or(false);
  // the default depth only from legal shapes (validate() names a bad one)
  const bool shape_ok = e.rows >= 1 && e.load >= 1 && e.load <= e.rows && e.group_size >= e.rows;
  e.depth = s.depth ? *s.depth : shape_ok ? e.default_depth() : 16;
  return e;
}

}  // namespace

EngineConfig engine_from_options(const OptionList& opts) {
  const EngineConfig e = resolve(collect(opts));
  e.validate();
  return e;
}

PeConfig pe_from_options(const OptionList& opts) {
  for (const auto& [name, value] : opts)
    for (const OptionSpec& o : option_schema())
      if (o.name == name && !(o.scope & kPeScope))
        fail("{} is an engine option: a PE alone does not take it", shorten(name));
  const PeConfig p = resolve(collect(opts)).pe;
  p.validate();
  return p;
}

OptionList numeric_options(const OptionList& opts) {
  OptionList out;
  for (const auto& [name, value] : opts) {
    bool hw = false;
    for (const OptionSpec& o : option_schema()) hw |= o.name == name && o.hardware_only;
    if (!hw) out.emplace_back(name, value);
  }
  return out;
}

OptionList parse_option_string(std::string_view s) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    const size_t j = std::min(s.find(' ', i), s.size());
    if (j > i) words.emplace_back(s.substr(i, j - i));
    i = j;
  }
  OptionList out;
  for (size_t w = 0; w < words.size(); ++w) {
    std::string name = words[w], value;
    if (const size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1), name.resize(eq);
    } else {
      const OptionSpec* spec = nullptr;
      for (const OptionSpec& o : option_schema()) spec = o.name == name ? &o : spec;
      if (!spec) fail("option '{}' does not exist (mixpe list options)", shorten(name));
      if (spec->flag)
        value.push_back('1');  // (not = "1": GCC 12 warns falsely, -Wrestrict)
      else if (w + 1 < words.size())
        value = words[++w];
      else
        fail("option {} needs a value", shorten(name));
    }
    out.emplace_back(name, value);
  }
  return out;
}

std::string option_string(const OptionList& opts) {
  std::string s;
  for (const auto& [name, value] : opts) {
    if (!s.empty()) s += ' ';
    bool flag = false;
    for (const OptionSpec& o : option_schema()) flag |= o.name == name && o.flag;
    s += flag ? (value == "1" ? name : name + "=" + value) : name + " " + value;
  }
  return s;
}

OptionList PeConfig::to_options() const {
  OptionList o = {{"--pe", std::string(pe_kind_name(kind))},
                  {"--weight-bits", std::to_string(weight_bits)},
                  {"--act", std::string(act_name(act))},
                  {"--accum", std::string(accum_name(accum.mode))}};
  if (accum.mode == AccumMode::kPrealign) o.emplace_back("--align-bits", std::to_string(accum.align_bits));
  o.emplace_back("--pipeline", std::to_string(pipeline));
  o.emplace_back("--rows", std::to_string(accum.block));
  // a flag only where it differs from its default (signed for the int8 PE)
  if (weight_signed != (kind == PeKind::kInt8)) o.emplace_back("--weight-signed", weight_signed ? "1" : "0");
  if (kind == PeKind::kLut) o.emplace_back("--lut-terms", std::to_string(lut_terms));
  if (booth) o.emplace_back("--booth", "1");
  if (lut_shift_bits != 4) o.emplace_back("--lut-shift-bits", std::to_string(lut_shift_bits));
  if (lut_decode_column) o.emplace_back("--lut-decode", "column");
  if (int8_column_psum) o.emplace_back("--int8-psum", "column");
  return o;
}

OptionList EngineConfig::to_options() const {
  OptionList o = pe.to_options();
  o.emplace_back("--cols", std::to_string(cols));
  o.emplace_back("--group-size", std::to_string(group_size));
  o.emplace_back("--depth", std::to_string(depth));
  o.emplace_back("--load", std::to_string(load));
  if (pe.accum.mode == AccumMode::kPrealign)
    o.emplace_back("--edge-frac-bits", std::to_string(pe.accum.edge_frac_bits));
  if (axis) o.emplace_back("--axis", "1");
  return o;
}

}  // namespace mixpe
