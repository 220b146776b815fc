// A small typed description of one Verilog module, and the one emitter that prints it.
// Emitted text is a conservative Verilog-2005 subset (Verilator 5.006, Yosys 0.23, Icarus 11),
// deterministic: the same Module always prints the same bytes.
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace mixpe::hdl {

struct Port {
  std::string name;  // lowRISC style: clk_i, rst_ni, *_i, *_o
  bool output;
  int width;
  bool is_signed;
  std::string comment;
};

struct Wire {
  std::string name;
  int width;
  bool is_signed;
  std::string comment;
  std::string unused_reason;  // non-empty: a documented Verilator UNUSEDSIGNAL waiver
};

// A register file: `name[0:depth-1]`, one synchronous write port, read by plain indexing in
// assigns. depth is a power of two, so an index of log2(depth) bits never leaves the range.
struct Memory {
  std::string name;
  int width;
  int depth;
  std::string write_enable, write_addr, write_data;
  std::string comment;
};

// A flip-flop bank: `name_q` <= `name_d` on the rising clock when `enable` (if any).
// With a reset value it resets asynchronously on !rst_ni; datapath registers have none.
struct Reg {
  std::string name;  // base name: declares name_q; name_d must be driven by an assign or port
  int width;
  bool is_signed;
  std::string enable;       // empty: every cycle
  std::string reset_value;  // empty: no reset
  std::string comment;
};

struct Assign {
  std::string lhs;
  std::string rhs;
};

struct Instance {
  std::string module;
  std::string name;
  std::vector<std::pair<std::string, std::string>> connections;  // port -> expression, in order
};

struct Module {
  std::string name;
  std::string description;                                  // one or more lines for the header
  std::vector<std::pair<std::string, std::string>> params;  // the full parameter set, for the header
  std::vector<Port> ports;
  std::vector<Wire> wires;
  std::vector<Reg> regs;
  std::vector<Memory> memories;
  std::vector<Assign> assigns;
  std::vector<Instance> instances;

  void input(std::string n, int w, std::string comment, bool is_signed = false);
  void output(std::string n, int w, std::string comment, bool is_signed = false);
  void wire(std::string n, int w, std::string comment = "", bool is_signed = false);
  void unused_wire(std::string n, int w, std::string reason);
  void memory(std::string n, int w, int depth, std::string we, std::string addr, std::string data,
              std::string comment = "");
  void assign(std::string lhs, std::string rhs);
  void reg(std::string n, int w, std::string enable, std::string reset_value, std::string comment = "",
           bool is_signed = false);
  bool has_clock() const;
};

// The generator's identity, printed in every header.
inline constexpr const char* kGeneratorVersion = "0.1.0";

std::string emit_verilog(const Module& m);

// Expression helpers with explicit widths (Verilator -Wall checks every width).
std::string lit(int width, unsigned long long value);        // 4'd3
std::string range(int width);                                // "[3:0] " or "" for 1 bit
std::string sext(const std::string& e, int from, int to);    // sign-extend a `from`-bit expression
std::string zext(const std::string& e, int from, int to);    // zero-extend
std::string bit(const std::string& e, int i);                // e[i]
std::string slice(const std::string& e, int hi, int lo);     // e[hi:lo]

}  // namespace mixpe::hdl
