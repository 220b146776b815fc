// The systolic skew line: a parameterized module, one per register kind.
#include <fmt/format.h>

#include "blocks/engine/engine_emit.h"

namespace mixpe {

namespace {

hdl::Module make_skew(bool reset) {
  hdl::Module m;
  m.name = reset ? "mixpe_skew_rst" : "mixpe_skew";
  m.description = fmt::format("Systolic skew: lane i of LANES is delayed by i * STEP + EXTRA cycles ({}).",
                              reset ? "registers reset to 0: control" : "registers without reset: data");
  m.params = {{"reset", reset ? "1" : "0"}};
  m.latency = {{"lane0_d_to_q", 0}, {"per_lane", 1}};
  m.parameter("WIDTH", 1, "bits per lane");
  m.parameter("LANES", 2, "lanes");
  m.parameter("STEP", 1, "cycles between neighbouring lanes");
  m.parameter("EXTRA", 0, "cycles every lane adds");
  m.input("clk_i", 1, "clock");
  if (reset) m.input("rst_ni", 1, "asynchronous reset, active low");
  m.input("d_i", {2, "WIDTH*LANES"}, "lane i at bits [i*WIDTH +: WIDTH]");
  m.output("q_o", {2, "WIDTH*LANES"}, "lane i delayed by i * STEP + EXTRA cycles");
  hdl::Scope& lane = m.loop("g_lane", "i", "LANES");
  lane.wire("chain", {0, "WIDTH*(i*STEP+EXTRA+1)"}, "stage s of the lane at bits [s*WIDTH +: WIDTH]");
  lane.assign("chain[WIDTH-1:0]", "d_i[i*WIDTH +: WIDTH]");
  lane.assign("q_o[i*WIDTH +: WIDTH]", "chain[(i*STEP+EXTRA)*WIDTH +: WIDTH]");
  hdl::Scope& st = lane.loop("g_stage", "s", "i*STEP + EXTRA");
  if (reset)
    st.state("r", {0, "WIDTH"}, "chain[s*WIDTH +: WIDTH]", true);
  else
    st.stage("chain[s*WIDTH +: WIDTH]", "r", {0, "WIDTH"});
  st.assign("chain[(s+1)*WIDTH +: WIDTH]", "r_q");
  return m;
}

}  // namespace

hdl::ModulePtr skew_module(bool reset) {
  static const hdl::ModulePtr plain = hdl::share(make_skew(false)), with_reset = hdl::share(make_skew(true));
  return reset ? with_reset : plain;
}

hdl::Instance skew_instance(bool reset, const std::string& name, int width, int lanes, int extra, const std::string& d,
                            const std::string& q, int step) {
  hdl::Scope s;
  std::vector<std::pair<std::string, std::string>> ports = {{"clk_i", "clk_i"}, {"d_i", d}, {"q_o", q}};
  if (reset) ports.insert(ports.begin() + 1, {"rst_ni", "rst_ni"});
  s.instance(skew_module(reset), name, ports,
             {{"WIDTH", std::to_string(width)},
              {"LANES", std::to_string(lanes)},
              {"STEP", std::to_string(step)},
              {"EXTRA", std::to_string(extra)}});
  return s.instances.back();
}

}  // namespace mixpe
