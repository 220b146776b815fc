// A small typed description of one Verilog module, and the one emitter that prints it.
// Emitted text is a conservative Verilog-2005 subset (Verilator 5.006, Yosys 0.23, Icarus 11),
// deterministic (the same Module always prints the same bytes) and at most 100 columns wide.
#pragma once
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace mixpe::hdl {

inline constexpr size_t kMaxColumns = 100;

// A width is a number, or (in parameterized modules) an expression of the module's Verilog
// parameters whose value for the default parameters is `bits`.
struct Width {
  int bits = 1;
  std::string expr;              // empty: `bits`
  Width(int b = 1) : bits(b) {}  // NOLINT: widths are mostly plain numbers
  Width(int b, std::string e) : bits(b), expr(std::move(e)) {}
};

struct Port {
  std::string name;  // lowRISC style: clk_i, rst_ni, *_i, *_o
  bool output;
  Width width;
  bool is_signed;
  std::string comment;
};

struct Wire {
  std::string name;
  Width width;
  bool is_signed;
  std::string comment;
  std::string unused_reason;  // non-empty: a documented Verilator UNUSEDSIGNAL waiver
  int entries = 0;            // > 0: an unpacked array `name [0:entries-1]` (read by indexing)
  int section = 0;            // the Scope section it belongs to (Scope::section)
};

// A register file: `name[0:depth-1]`, one synchronous write port, read by plain indexing in
// assigns. depth is a power of two, so an index of log2(depth) bits never leaves the range.
struct Memory {
  std::string name;
  int width;
  int depth;
  std::string write_enable, write_addr, write_data;
  std::string comment;
  int section = 0;
};

// A flip-flop bank: `name_q` <= `next` on the rising clock when `enable` (if any).
// With a reset value it resets asynchronously on !rst_ni; datapath registers have none.
struct Reg {
  std::string name;  // base name: declares name_q
  Width width;
  bool is_signed;
  std::string enable;       // empty: every cycle
  std::string reset_value;  // empty: no reset
  std::string comment;
  std::string clock = "clk_i";  // a gated clock (row files) instead of the module's clock
  int section = 0;
  std::string next;  // the next state; empty: a wire name_d driven by an assign or a port
};

// A level-sensitive latch: `name_q` follows `data` while `enable` is high (the clock gate's only
// use: its enable is the inverted clock). Emitted with a documented Verilator LATCH waiver.
struct Latch {
  std::string name;
  int width;
  std::string enable, data;
  std::string comment;
  int section = 0;
};

struct Assign {
  std::string lhs;
  std::string rhs;
  int section = 0;
};

struct Module;

// An instance names the module object it instantiates: the name cannot drift, the design
// writer finds every module a design needs from its instances, and the connections are checked
// against the module's ports when the instance is made.
struct Instance {
  std::shared_ptr<const Module> module;
  std::string name;
  std::vector<std::pair<std::string, std::string>> parameters;   // Verilog parameter overrides
  std::vector<std::pair<std::string, std::string>> connections;  // port -> expression, in order
  int section = 0;
};

struct Loop;

// Declarations and statements: a module's body, or a generate loop's. A scope may be divided into
// sections (a pipeline's stages): each is printed together, its comment, declarations, assigns,
// instances and clocked blocks (lowRISC style); a name read in a section before the one that
// declares it is declared ahead, at the top. Without sections, declarations come first.
struct Scope {
  std::vector<std::string> sections;  // the comments of sections 1, 2, ...; section 0 has none
  std::vector<Wire> wires;
  std::vector<Reg> regs;
  std::vector<Memory> memories;
  std::vector<Latch> latches;
  std::vector<Assign> assigns;
  std::vector<Instance> instances;
  std::vector<Loop> loops;

  // Starts a new section: what is added from here on is printed after `comment`.
  void section(std::string comment);
  int current_section() const { return int(sections.size()); }
  void wire(std::string n, Width w, std::string comment = "", bool is_signed = false);
  void unused_wire(std::string n, Width w, std::string reason);
  // An unpacked array of `entries` wires of `w` bits, assigned element by element.
  void wire_array(std::string n, int w, int entries, std::string comment = "");
  void latch(std::string n, int w, std::string enable, std::string data, std::string comment = "");
  void memory(std::string n, int w, int depth, std::string we, std::string addr, std::string data,
              std::string comment = "");
  void assign(std::string lhs, std::string rhs);
  void reg(std::string n, Width w, std::string enable, std::string reset_value, std::string comment = "",
           bool is_signed = false);
  // A register with its next state: name_q <= next; `reset` resets it to 0.
  void state(const std::string& name, Width w, std::string next, bool reset, std::string comment = "");
  // A register fed from `from`: to_q <= from (a pipeline stage, no reset), loaded every cycle or
  // when `enable`.
  void stage(const std::string& from, const std::string& to, Width w, std::string comment = "",
             std::string enable = "");
  // An instance of `sub`; throws std::logic_error if a connection names no port of it or a
  // port is left unconnected.
  void instance(const std::shared_ptr<const Module>& sub, std::string name,
                std::vector<std::pair<std::string, std::string>> connections,
                std::vector<std::pair<std::string, std::string>> parameters = {});
  // A generate loop `for (genvar = 0; genvar < count; ...) begin : label`; returns its body.
  Scope& loop(std::string label, std::string genvar, std::string count);
};

struct Loop {
  std::string label, genvar, count;
  Scope body;
};

// A Verilog parameter of a parameterized module (an integer with a default).
struct Parameter {
  std::string name;
  int value;
  std::string comment;
};

struct Module : Scope {
  std::string name;
  std::string description;                                  // one or more lines for the header
  std::vector<std::pair<std::string, std::string>> params;  // the full parameter set, for the header
  std::vector<std::pair<std::string, int>> latency;         // the block's own latencies, in cycles
  std::vector<std::pair<int, int>> interleave;              // engine: (M, N tiles in turn) where more than one
  std::vector<Parameter> parameters;                        // Verilog parameters
  std::vector<Port> ports;

  void input(std::string n, Width w, std::string comment, bool is_signed = false);
  void output(std::string n, Width w, std::string comment, bool is_signed = false);
  void parameter(std::string n, int value, std::string comment);
  bool has_clock() const;
};

using ModulePtr = std::shared_ptr<const Module>;
inline ModulePtr share(Module m) { return std::make_shared<const Module>(std::move(m)); }

// The generator's identity, printed in every header.
inline constexpr const char* kGeneratorVersion = "0.2.0";

std::string emit_verilog(const Module& m);

// Expression helpers with explicit widths (Verilator -Wall checks every width).
std::string lit(int width, unsigned long long value);          // 4'd3
std::string range(int width);                                  // "[3:0] " or "" for 1 bit
std::string sext(const std::string& e, int from, int to);      // sign-extend a `from`-bit expression
std::string zext(const std::string& e, int from, int to);      // zero-extend
std::string bit(const std::string& e, int i);                  // e[i]
std::string slice(const std::string& e, int hi, int lo);       // e[hi:lo]
std::string part(const std::string& e, int index, int width);  // field `index` of `width` bits
std::string cat(const std::vector<std::string>& parts);        // {a, b, c}: a is the most significant
int log2(int power_of_two);

}  // namespace mixpe::hdl
