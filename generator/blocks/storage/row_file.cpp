#include "blocks/storage/row_file.h"

#include <fmt/format.h>

namespace mixpe {

hdl::ModulePtr clock_gate_module() {
  hdl::Module m;
  m.name = "mixpe_clock_gate";
  m.description =
      "Integrated clock gate: the enable is latched while the clock is low, so the gated clock has no\n"
      "glitch and rises with clk_i in a cycle whose enable was high before the edge. Synthesis maps this\n"
      "module to sky130_fd_sc_hd__dlclkp_1 (clock_gating_integrated_cell latch_posedge).";
  m.latency = {{"en_to_gated_edge", 1}};
  m.input("clk_i", 1, "clock");
  m.input("en_i", 1, "clock the next rising edge through");
  m.output("gclk_o", 1, "the gated clock");
  m.latch("en", 1, "!clk_i", "en_i", "the enable, held while the clock is high");
  m.assign("gclk_o", "clk_i & en_q");
  return hdl::share(std::move(m));
}

hdl::ModulePtr row_file_module(int width, int depth, int read_ports) {
  const int aw = hdl::log2(depth);
  hdl::Module m;
  m.name = fmt::format("mixpe_row_file_w{}_d{}_r{}", width, depth, read_ports);
  m.description = fmt::format(
      "{} rows of {} bits, one write port and {} asynchronous read port{}. Each row is a bank of flip-flops\n"
      "behind its own clock gate: only the row written in a cycle sees a clock edge (no write-enable\n"
      "multiplexer, no clock power in the rows that hold).",
      depth, width, read_ports, read_ports > 1 ? "s" : "");
  m.params = {
      {"width", std::to_string(width)}, {"depth", std::to_string(depth)}, {"read_ports", std::to_string(read_ports)}};
  m.latency = {{"write_to_read", 1}, {"read", 0}};
  m.input("clk_i", 1, "clock");
  m.input("we_i", 1, "write row waddr_i at the rising edge");
  m.input("waddr_i", aw, "the row written");
  m.input("wdata_i", width, "its new value");
  for (int p = 0; p < read_ports; ++p) {
    m.input(fmt::format("raddr{}_i", p), aw, fmt::format("read port {}: the row read", p));
    m.output(fmt::format("rdata{}_o", p), width, fmt::format("read port {}: its value", p));
  }
  m.wire("row_we", depth, "one-hot: the row written this cycle");
  m.assign("row_we", fmt::format("we_i ? ({} << waddr_i) : {}", hdl::lit(depth, 1), hdl::lit(depth, 0)));
  m.wire_array("rows", width, depth, "every row's value, read by indexing");
  for (int p = 0; p < read_ports; ++p) m.assign(fmt::format("rdata{}_o", p), fmt::format("rows[raddr{}_i]", p));
  hdl::Scope& row = m.loop("g_row", "i", std::to_string(depth));
  row.wire("gclk", 1, "this row's clock: it runs only in a cycle that writes the row");
  row.instance(clock_gate_module(), "u_gate", {{"clk_i", "clk_i"}, {"en_i", "row_we[i]"}, {"gclk_o", "gclk"}});
  row.stage("wdata_i", "row", width);
  row.regs.back().clock = "gclk";
  row.assign("rows[i]", "row_q");
  return hdl::share(std::move(m));
}

std::vector<std::string> add_row_file(hdl::Module& m, const std::string& name, int width, int depth,
                                      const std::string& we, const std::string& waddr, const std::string& wdata,
                                      const std::vector<std::string>& raddrs, const std::string& comment) {
  std::vector<std::pair<std::string, std::string>> k = {
      {"clk_i", "clk_i"}, {"we_i", we}, {"waddr_i", waddr}, {"wdata_i", wdata}};
  std::vector<std::string> out;
  for (size_t p = 0; p < raddrs.size(); ++p) {
    out.push_back(fmt::format("{}_rd{}", name, p));
    m.wire(out.back(), width, p == 0 ? comment : "");
    k.emplace_back(fmt::format("raddr{}_i", p), raddrs[p]);
    k.emplace_back(fmt::format("rdata{}_o", p), out.back());
  }
  m.instance(row_file_module(width, depth, int(raddrs.size())), "u_" + name, k);
  return out;
}

}  // namespace mixpe
