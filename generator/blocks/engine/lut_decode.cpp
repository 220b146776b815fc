// The column's LUT decoder (--lut-decode column): the weight index selects its table entry once,
// as the weight enters its column, so the PEs below hold the entry (term codes or the 1.14 value)
// and need neither a decoder nor the table.
#include <fmt/format.h>

#include "blocks/engine/engine_emit.h"

namespace mixpe {

namespace {

hdl::Module make_lut_decode(const PeConfig& pe) {
  const int n = pe.table_entries(), ew = pe.table_entry_width(), b = pe.weight_bits;
  hdl::Module m;
  m.name = fmt::format("mixpe_lut_decode_{}", pe.weight_name().substr(3, pe.weight_name().size() - 4));
  m.description = fmt::format(
      "LUT decoder at a column's top: the {}-bit weight index selects its entry of the table ({}).", b,
      pe.lut_terms ? fmt::format("{} term codes of {} bits", pe.lut_terms, pe.lut_shift_bits + 2) : "1.14 fixed point");
  m.params = pe.params();
  m.latency = {{"idx_to_entry", 0}};
  m.input("idx_i", b, "the weight index on the column's bus");
  m.input("table_i", n * ew, fmt::format("the weight table: entry i at bits [{0}*i +: {0}]", ew));
  m.output("entry_o", ew, "T[idx_i], as the PEs take it");
  std::string mux;
  for (int i = 0; i < n - 1; ++i)
    mux += fmt::format("(idx_i == {}) ? {} : ", hdl::lit(b, unsigned(i)), hdl::part("table_i", i, ew));
  mux += hdl::part("table_i", n - 1, ew);
  m.assign("entry_o", mux);
  return m;
}

}  // namespace

hdl::ModulePtr lut_decode_module(const PeConfig& pe) { return hdl::share(make_lut_decode(pe)); }

}  // namespace mixpe
