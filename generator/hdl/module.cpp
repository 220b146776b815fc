#include "hdl/module.h"

#include <algorithm>
#include <bit>
#include <cctype>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

namespace mixpe::hdl {

void Module::input(std::string n, Width w, std::string c, bool s) {
  ports.push_back({std::move(n), false, std::move(w), s, std::move(c)});
}
void Module::output(std::string n, Width w, std::string c, bool s) {
  ports.push_back({std::move(n), true, std::move(w), s, std::move(c)});
}
void Module::parameter(std::string n, int value, std::string c) {
  parameters.push_back({std::move(n), value, std::move(c)});
}
bool Module::has_clock() const {
  return std::any_of(ports.begin(), ports.end(), [](const Port& p) { return p.name == "clk_i"; });
}

void Scope::section(std::string comment) { sections.push_back(std::move(comment)); }
void Scope::wire(std::string n, Width w, std::string c, bool s) {
  wires.push_back({std::move(n), std::move(w), s, std::move(c), "", 0, current_section()});
}
void Scope::unused_wire(std::string n, Width w, std::string reason) {
  wires.push_back({std::move(n), std::move(w), false, "", std::move(reason), 0, current_section()});
}
void Scope::wire_array(std::string n, int w, int entries, std::string c) {
  wires.push_back({std::move(n), w, false, std::move(c), "", entries, current_section()});
}
void Scope::latch(std::string n, int w, std::string enable, std::string data, std::string c) {
  latches.push_back({std::move(n), w, std::move(enable), std::move(data), std::move(c), current_section()});
}
void Scope::memory(std::string n, int w, int depth, std::string we, std::string addr, std::string data, std::string c) {
  memories.push_back(
      {std::move(n), w, depth, std::move(we), std::move(addr), std::move(data), std::move(c), current_section()});
}
void Scope::assign(std::string lhs, std::string rhs) {
  assigns.push_back({std::move(lhs), std::move(rhs), current_section()});
}
void Scope::reg(std::string n, Width w, std::string en, std::string rv, std::string c, bool s) {
  regs.push_back(
      {std::move(n), std::move(w), s, std::move(en), std::move(rv), std::move(c), "clk_i", current_section(), ""});
}
void Scope::state(const std::string& name, Width w, std::string next, bool reset, std::string comment) {
  const std::string zero = w.expr.empty() ? lit(w.bits, 0) : fmt::format("{{({}){{1'b0}}}}", w.expr);
  reg(name, w, "", reset ? zero : "", std::move(comment));
  regs.back().next = std::move(next);
}
void Scope::stage(const std::string& from, const std::string& to, Width w, std::string comment, std::string enable) {
  reg(to, w, std::move(enable), "", std::move(comment));
  regs.back().next = from;
}
void Scope::instance(const std::shared_ptr<const Module>& sub, std::string name,
                     std::vector<std::pair<std::string, std::string>> connections,
                     std::vector<std::pair<std::string, std::string>> parameters) {
  for (const auto& [port, expr] : connections)
    if (std::none_of(sub->ports.begin(), sub->ports.end(), [&](const Port& p) { return p.name == port; }))
      throw std::logic_error(fmt::format("{} ({}) has no port {}", name, sub->name, port));
  for (const Port& p : sub->ports)
    if (std::none_of(connections.begin(), connections.end(), [&](const auto& c) { return c.first == p.name; }))
      throw std::logic_error(fmt::format("{} ({}): port {} is not connected", name, sub->name, p.name));
  for (const auto& [param, value] : parameters)
    if (std::none_of(sub->parameters.begin(), sub->parameters.end(),
                     [&](const Parameter& p) { return p.name == param; }))
      throw std::logic_error(fmt::format("{} ({}) has no parameter {}", name, sub->name, param));
  instances.push_back({sub, std::move(name), std::move(parameters), std::move(connections), current_section()});
}
Scope& Scope::loop(std::string label, std::string genvar, std::string count) {
  loops.push_back({std::move(label), std::move(genvar), std::move(count), {}});
  return loops.back().body;
}

std::string lit(int width, unsigned long long value) { return fmt::format("{}'d{}", width, value); }
std::string range(int width) { return width == 1 ? "" : fmt::format("[{}:0] ", width - 1); }
std::string bit(const std::string& e, int i) { return fmt::format("{}[{}]", e, i); }
std::string slice(const std::string& e, int hi, int lo) {
  return hi == lo ? bit(e, hi) : fmt::format("{}[{}:{}]", e, hi, lo);
}
std::string part(const std::string& e, int index, int width) {
  return slice(e, (index + 1) * width - 1, index * width);
}
std::string cat(const std::vector<std::string>& parts) {
  std::string s = "{";
  for (size_t i = 0; i < parts.size(); ++i) s += (i ? ", " : "") + parts[i];
  return s + "}";
}
int log2(int v) { return std::countr_zero(unsigned(v)); }
std::string sext(const std::string& e, int from, int to) {
  if (to == from) return e;
  // e[from-1] must index a plain name: Verilog-2005 has no index of an index or of an expression
  if (e.find_first_of("[]() {}") != std::string::npos)
    throw std::logic_error("sext needs a plain signal name, not '" + e + "': assign it to a wire first");
  return fmt::format("{{{{{}{{{}}}}}, {}}}", to - from, bit(e, from - 1), e);
}
std::string zext(const std::string& e, int from, int to) {
  if (to == from) return e;
  return fmt::format("{{{}, {}}}", lit(to - from, 0), e);
}

namespace {

std::string range_of(const Width& w) {
  if (w.expr.empty()) return range(w.bits);
  return fmt::format("[{}-1:0] ", w.expr);
}

std::string decl(const char* kind, bool is_signed, const Width& width, const std::string& name) {
  return fmt::format("{}{} {}{}", kind, is_signed ? " signed" : "", range_of(width), name);
}

// Appends `line` (which starts with `indent`), broken at spaces into lines of at most
// kMaxColumns: Verilog does not care where an expression is broken, a reader does.
void code_line(std::string& out, const std::string& indent, const std::string& text) {
  // breaking at any space is safe only in plain code: no comments, no strings
  if (text.find("//") != std::string::npos || text.find("/*") != std::string::npos ||
      text.find('"') != std::string::npos || text.find('\n') != std::string::npos)
    throw std::logic_error("code_line takes plain code, not comments or strings: " + text);
  std::string line = indent + text;
  const std::string cont = indent + "    ";
  while (line.size() > kMaxColumns) {
    size_t cut = line.rfind(' ', kMaxColumns);
    if (cut == std::string::npos || cut <= cont.size()) cut = line.find(' ', kMaxColumns);
    if (cut == std::string::npos) break;
    out += line.substr(0, cut) + "\n";
    line = cont + line.substr(cut + 1);
  }
  out += line + "\n";
}

// Comment text, word-wrapped at kMaxColumns: a line that overflows carries its last words into
// the next line of the same paragraph (an empty line ends a paragraph).
void comment_lines(std::string& out, const std::string& text, const std::string& indent) {
  std::vector<std::string> lines;
  for (size_t start = 0;;) {
    const size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  std::string carry;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string line = carry.empty() ? lines[i] : lines[i].empty() ? carry : carry + " " + lines[i];
    carry.clear();
    const std::string lead = indent + "//" + (line.empty() ? "" : " ");
    if (lead.size() + line.size() > kMaxColumns) {
      const size_t cut = line.rfind(' ', kMaxColumns - lead.size());
      if (cut != std::string::npos && cut > 0) {
        carry = line.substr(cut + 1);
        line.resize(cut);
      }
    }
    out += lead + line + "\n";
    if (!carry.empty() && (i + 1 == lines.size() || lines[i + 1].empty())) {
      lines.insert(lines.begin() + long(i) + 1, carry);  // the paragraph ends: the carry is its last line
      carry.clear();
    }
  }
}

// Which items one printing pass takes: those of `section` (-1: every section), except the names
// in `skip` (declared ahead); `only` (if set) takes exactly the named declarations instead.
struct Filter {
  int section = -1;
  const std::set<std::string>* skip = nullptr;
  const std::set<std::string>* only = nullptr;
  bool statements(int sec) const { return only == nullptr && (section < 0 || sec == section); }
  bool declares(int sec, const std::string& name) const {
    if (only != nullptr) return only->count(name) > 0;
    return (section < 0 || sec == section) && (skip == nullptr || skip->count(name) == 0);
  }
};

void emit_declarations(std::string& o, const Scope& s, const std::string& in, const Filter& f = {}) {
  for (const Wire& w : s.wires) {
    if (!f.declares(w.section, w.name)) continue;
    if (!w.comment.empty()) comment_lines(o, w.comment, in);
    if (!w.unused_reason.empty()) {
      comment_lines(o, "Not read: " + w.unused_reason, in);
      o += in + "/* verilator lint_off UNUSEDSIGNAL */\n";
      code_line(o, in, decl("wire", w.is_signed, w.width, w.name) + ";");
      o += in + "/* verilator lint_on UNUSEDSIGNAL */\n";
    } else if (w.entries > 0) {
      code_line(o, in, fmt::format("{} [0:{}];", decl("wire", w.is_signed, w.width, w.name), w.entries - 1));
    } else {
      code_line(o, in, decl("wire", w.is_signed, w.width, w.name) + ";");
    }
  }
  for (const Memory& mem : s.memories) {
    if (!f.declares(mem.section, mem.name)) continue;
    if (!mem.comment.empty()) comment_lines(o, mem.comment, in);
    code_line(o, in, fmt::format("reg {}{} [0:{}];", range(mem.width), mem.name, mem.depth - 1));
  }
  for (const Reg& r : s.regs) {
    if (!f.declares(r.section, r.name + "_q")) continue;
    if (!r.comment.empty()) comment_lines(o, r.comment, in);
    code_line(o, in, decl("reg", r.is_signed, r.width, r.name + "_q") + ";");
  }
  for (const Latch& l : s.latches) {
    if (!f.declares(l.section, l.name + "_q")) continue;
    if (!l.comment.empty()) comment_lines(o, l.comment, in);
    code_line(o, in, fmt::format("reg {}{}_q;", range(l.width), l.name));
  }
}

// The registers of one clock and reset class in one always block: a register's own enable is an
// `if` inside it; with a reset, every register of the class resets in the same `if (!rst_ni)`.
void emit_registers(std::string& o, const std::vector<const Reg*>& regs, const std::string& in) {
  auto update = [](const Reg& r) {
    const std::string next = r.next.empty() ? r.name + "_d" : r.next;
    return r.enable.empty() ? fmt::format("{}_q <= {};", r.name, next)
                            : fmt::format("if ({}) {}_q <= {};", r.enable, r.name, next);
  };
  const Reg& first = *regs.front();
  if (first.reset_value.empty()) {
    o += fmt::format("\n{0}always @(posedge {1}) begin\n", in, first.clock);
    for (const Reg* r : regs) code_line(o, in + "  ", update(*r));
  } else if (regs.size() == 1) {
    o += fmt::format("\n{0}always @(posedge {1} or negedge rst_ni) begin\n", in, first.clock);
    code_line(o, in + "  ", fmt::format("if (!rst_ni) {}_q <= {};", first.name, first.reset_value));
    code_line(o, in + "  ", "else " + update(first));
  } else {
    o += fmt::format("\n{0}always @(posedge {1} or negedge rst_ni) begin\n{0}  if (!rst_ni) begin\n", in, first.clock);
    for (const Reg* r : regs) code_line(o, in + "    ", fmt::format("{}_q <= {};", r->name, r->reset_value));
    o += fmt::format("{}  end else begin\n", in);
    for (const Reg* r : regs) code_line(o, in + "    ", update(*r));
    o += fmt::format("{}  end\n", in);
  }
  o += in + "end\n";
}

void emit_statements(std::string& o, const Scope& s, const std::string& in, const Filter& f = {}) {
  bool any_assign = false;
  for (const Assign& a : s.assigns) any_assign |= f.statements(a.section);
  if (any_assign) o += "\n";
  for (const Assign& a : s.assigns)
    if (f.statements(a.section)) code_line(o, in, fmt::format("assign {} = {};", a.lhs, a.rhs));
  for (const Instance& inst : s.instances) {
    if (!f.statements(inst.section)) continue;
    o += "\n";
    if (inst.parameters.empty()) {
      o += fmt::format("{}{} {} (\n", in, inst.module->name, inst.name);
    } else {
      o += fmt::format("{}{} #(\n", in, inst.module->name);
      for (size_t i = 0; i < inst.parameters.size(); ++i)
        code_line(o, in + "    ",
                  fmt::format(".{}({}){}", inst.parameters[i].first, inst.parameters[i].second,
                              i + 1 < inst.parameters.size() ? "," : ""));
      o += fmt::format("{}) {} (\n", in, inst.name);
    }
    for (size_t i = 0; i < inst.connections.size(); ++i)
      code_line(o, in + "  ",
                fmt::format(".{}({}){}", inst.connections[i].first, inst.connections[i].second,
                            i + 1 < inst.connections.size() ? "," : ""));
    o += in + ");\n";
  }
  for (const Memory& mem : s.memories) {
    if (!f.statements(mem.section)) continue;
    o += fmt::format("\n{0}always @(posedge clk_i) begin\n", in);
    code_line(o, in + "  ",
              fmt::format("if ({}) {}[{}] <= {};", mem.write_enable, mem.name, mem.write_addr, mem.write_data));
    o += in + "end\n";
  }
  for (const Latch& l : s.latches) {
    if (!f.statements(l.section)) continue;
    o += fmt::format("\n{0}/* verilator lint_off LATCH */\n{0}always @* begin\n", in);
    code_line(o, in + "  ", fmt::format("if ({}) {}_q = {};", l.enable, l.name, l.data));
    o += fmt::format("{0}end\n{0}/* verilator lint_on LATCH */\n", in);
  }
  // registers by class (clock, reset or not), each class in the order of its first register
  std::vector<std::vector<const Reg*>> classes;
  for (const Reg& r : s.regs) {
    if (!f.statements(r.section)) continue;
    auto same = [&](const std::vector<const Reg*>& c) {
      return c.front()->clock == r.clock && c.front()->reset_value.empty() == r.reset_value.empty();
    };
    auto it = std::find_if(classes.begin(), classes.end(), same);
    if (it == classes.end())
      classes.push_back({&r});
    else
      it->push_back(&r);
  }
  for (const auto& c : classes) emit_registers(o, c, in);
}

// Every identifier in `text`, added to `out` (numbers and sized literals such as 4'd3 skipped).
void identifiers(const std::string& text, std::set<std::string>& out) {
  auto word = [&](size_t k) { return std::isalnum(static_cast<unsigned char>(text[k])) || text[k] == '_'; };
  for (size_t i = 0; i < text.size();) {
    if (!word(i)) {
      ++i;
    } else if (std::isdigit(static_cast<unsigned char>(text[i]))) {
      while (i < text.size() && (word(i) || text[i] == '\'')) ++i;
    } else {
      size_t j = i;
      while (j < text.size() && word(j)) ++j;
      out.insert(text.substr(i, j - i));
      i = j;
    }
  }
}

// The names a section's statements read or drive, for each section.
std::vector<std::set<std::string>> section_uses(const Scope& s) {
  std::vector<std::set<std::string>> uses(s.sections.size() + 1);
  for (const Assign& a : s.assigns) {
    identifiers(a.lhs, uses[a.section]);
    identifiers(a.rhs, uses[a.section]);
  }
  for (const Instance& inst : s.instances)
    for (const auto& [port, expr] : inst.connections) identifiers(expr, uses[inst.section]);
  for (const Reg& r : s.regs)
    identifiers((r.next.empty() ? r.name + "_d" : r.next) + " " + r.enable + " " + r.clock, uses[r.section]);
  for (const Memory& mem : s.memories)
    identifiers(mem.write_enable + " " + mem.write_addr + " " + mem.write_data, uses[mem.section]);
  for (const Latch& l : s.latches) identifiers(l.enable + " " + l.data, uses[l.section]);
  return uses;
}

// A scope's body: in sections if it has them, names read before their section declared ahead.
void emit_body(std::string& o, const Scope& s, const std::string& in) {
  if (s.sections.empty()) {
    emit_declarations(o, s, in);
    emit_statements(o, s, in);
    return;
  }
  const std::vector<std::set<std::string>> uses = section_uses(s);
  auto first_use = [&](const std::string& name) {
    for (size_t k = 0; k < uses.size(); ++k)
      if (uses[k].count(name)) return int(k);
    return int(uses.size());
  };
  std::set<std::string> ahead;
  for (const Wire& w : s.wires)
    if (first_use(w.name) < w.section) ahead.insert(w.name);
  for (const Reg& r : s.regs)
    if (first_use(r.name + "_q") < r.section) ahead.insert(r.name + "_q");
  for (const Memory& mem : s.memories)
    if (first_use(mem.name) < mem.section) ahead.insert(mem.name);
  for (const Latch& l : s.latches)
    if (first_use(l.name + "_q") < l.section) ahead.insert(l.name + "_q");
  if (!ahead.empty()) {
    comment_lines(o, "Read here, driven by a later section:", in);
    emit_declarations(o, s, in, Filter{-1, nullptr, &ahead});
  }
  for (int k = 0; k <= int(s.sections.size()); ++k) {
    std::string part;
    emit_declarations(part, s, in, Filter{k, &ahead, nullptr});
    emit_statements(part, s, in, Filter{k, &ahead, nullptr});
    if (part.empty()) continue;
    if (k > 0 || !ahead.empty()) o += "\n";
    if (k > 0 && !s.sections[size_t(k - 1)].empty()) comment_lines(o, s.sections[size_t(k - 1)], in);
    o += part.starts_with("\n") ? part.substr(1) : part;
  }
}

void genvars(const Scope& s, std::vector<std::string>& out) {
  for (const Loop& l : s.loops) {
    if (std::find(out.begin(), out.end(), l.genvar) == out.end()) out.push_back(l.genvar);
    genvars(l.body, out);
  }
}

void emit_loops(std::string& o, const Scope& s, const std::string& in) {
  for (const Loop& l : s.loops) {
    o += fmt::format("\n{0}for ({1} = 0; {1} < {2}; {1} = {1} + 1) begin : {3}\n", in, l.genvar, l.count, l.label);
    std::string body;
    emit_body(body, l.body, in + "  ");
    emit_loops(body, l.body, in + "  ");
    o += body.starts_with("\n") ? body.substr(1) : body;
    o += fmt::format("{}end\n", in);
  }
}

}  // namespace

std::string emit_verilog(const Module& m) {
  std::string o;
  o +=
      fmt::format("// {}: generated by mixpe {}.\n// Do not edit; regenerate with mixpe.\n", m.name, kGeneratorVersion);
  if (!m.description.empty()) comment_lines(o, m.description, "");
  std::string params = "Parameters:";
  for (const auto& [k, v] : m.params) params += fmt::format(" {}={}", k, v);
  comment_lines(o, params, "");
  if (!m.latency.empty()) {
    std::string lat = "Latency (cycles):";
    for (const auto& [k, v] : m.latency) lat += fmt::format(" {}={}", k, v);
    comment_lines(o, lat, "");
  }
  o += "\n`resetall\n`timescale 1ns / 1ps\n`default_nettype none\n\n";

  if (m.parameters.empty()) {
    o += fmt::format("module {} (\n", m.name);
  } else {
    o += fmt::format("module {} #(\n", m.name);
    for (size_t i = 0; i < m.parameters.size(); ++i) {
      const Parameter& p = m.parameters[i];
      comment_lines(o, p.comment, "  ");
      o += fmt::format("  parameter integer {} = {}{}\n", p.name, p.value, i + 1 < m.parameters.size() ? "," : "");
    }
    o += ") (\n";
  }
  size_t width = 0;
  for (const Port& p : m.ports) width = std::max(width, decl("input  wire", p.is_signed, p.width, p.name).size());
  for (size_t i = 0; i < m.ports.size(); ++i) {
    const Port& p = m.ports[i];
    const std::string d = decl(p.output ? "output wire" : "input  wire", p.is_signed, p.width, p.name);
    const std::string sep = i + 1 < m.ports.size() ? "," : "";
    const std::string line = fmt::format("  {:<{}} // {}", d + sep, width + 1, p.comment);
    if (p.comment.empty()) {
      code_line(o, "  ", d + sep);
    } else if (line.size() <= kMaxColumns && p.comment.find('\n') == std::string::npos) {
      o += line + "\n";
    } else {
      comment_lines(o, p.comment, "  ");
      code_line(o, "  ", d + sep);
    }
  }
  o += ");\n";

  if (!m.wires.empty() || !m.regs.empty() || !m.memories.empty() || !m.latches.empty()) o += "\n";
  std::vector<std::string> gv;
  genvars(m, gv);
  for (const std::string& g : gv) o += fmt::format("  genvar {};\n", g);
  emit_body(o, m, "  ");
  if (!m.loops.empty()) {
    o += "\n  generate";
    emit_loops(o, m, "    ");
    o += "  endgenerate\n";
  }
  o += "\nendmodule\n\n`resetall\n";
  return o;
}

}  // namespace mixpe::hdl
