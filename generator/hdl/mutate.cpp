#include "hdl/mutate.h"

#include <cctype>
#include <functional>
#include <stdexcept>

#include <fmt/format.h>

namespace mixpe::hdl {
namespace {

// Visits every mutation site in a fixed order; `site(description, apply)` is called once per
// site with the function that applies it.
using Site = std::function<void(const std::string&, const std::function<void()>&)>;

const std::pair<const char*, const char*> kOperators[] = {
    {" + ", " - "},   {" - ", " + "},   {" & ", " | "},   {" | ", " & "},   {" ^ ", " & "},
    {" == ", " != "}, {" != ", " == "}, {" < ", " >= "},  {" >= ", " < "},  {" > ", " <= "},
    {" <= ", " > "},  {" << ", " >> "}, {" >> ", " << "}, {" >>> ", " >> "}};

bool is_ident(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Operator swaps, literal increments and lower indices inside one expression.
void expression_sites(std::string& e, const std::string& where, const Site& site) {
  for (const auto& [from, to] : kOperators)
    for (size_t p = e.find(from); p != std::string::npos; p = e.find(from, p + 1)) {
      const std::string f = from, t = to;
      site(fmt::format("operator: {}: '{}' -> '{}' at {}", where, f.substr(1, f.size() - 2), t.substr(1, t.size() - 2),
                       p),
           [&e, p, f, t] { e.replace(p, f.size(), t); });
    }
  // sized decimal literals: W'dV
  for (size_t p = e.find("'d"); p != std::string::npos; p = e.find("'d", p + 1)) {
    size_t ws = p;
    while (ws > 0 && std::isdigit(static_cast<unsigned char>(e[ws - 1]))) --ws;
    size_t ve = p + 2;
    while (ve < e.size() && std::isdigit(static_cast<unsigned char>(e[ve]))) ++ve;
    if (ws == p || ve == p + 2 || (ws > 0 && is_ident(e[ws - 1]))) continue;
    const int width = std::stoi(e.substr(ws, p - ws));
    const unsigned long long v = std::stoull(e.substr(p + 2, ve - p - 2));
    if (width > 62) continue;
    const unsigned long long nv = (v + 1) & ((1ull << width) - 1);
    const std::string lit = fmt::format("{}'d{}", width, nv);
    site(fmt::format("constant: {}: {}'d{} -> {}", where, width, v, lit),
         [&e, ws, ve, lit] { e.replace(ws, ve - ws, lit); });
  }
  // constant selects name[i] and name[h:l], one position lower
  for (size_t p = e.find('['); p != std::string::npos; p = e.find('[', p + 1)) {
    if (p == 0 || !is_ident(e[p - 1])) continue;
    const size_t close = e.find(']', p);
    if (close == std::string::npos) continue;
    const std::string inside = e.substr(p + 1, close - p - 1);
    const size_t colon = inside.find(':');
    const std::string hi = inside.substr(0, colon), lo = colon == std::string::npos ? hi : inside.substr(colon + 1);
    auto number = [](const std::string& s) {
      return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
    };
    if (!number(hi) || !number(lo) || std::stoi(lo) == 0) continue;
    const std::string sel = colon == std::string::npos ? fmt::format("[{}]", std::stoi(hi) - 1)
                                                       : fmt::format("[{}:{}]", std::stoi(hi) - 1, std::stoi(lo) - 1);
    site(fmt::format("index: {}: [{}] -> {}", where, inside, sel),
         [&e, p, close, sel] { e.replace(p, close - p + 1, sel); });
  }
}

void scope_sites(Scope& s, const std::string& module, const Site& site) {
  for (Assign& a : s.assigns) {
    const std::string where = fmt::format("{}: assign {}", module, a.lhs);
    expression_sites(a.rhs, where, site);
    for (const Wire& w : s.wires)
      if (w.name == a.lhs && w.width.bits == 1 && w.width.expr.empty())
        for (const char* v : {"1'b0", "1'b1"})
          if (a.rhs != v)  // a wire already constant: that mutant would change nothing
            site(fmt::format("stuck: {}: = {}", where, v), [&a, v] { a.rhs = v; });
  }
  for (Reg& r : s.regs) {
    if (!r.next.empty()) {  // the next state written into the register: the sites of an assign
      const std::string where = fmt::format("{}: reg {}_q", module, r.name);
      expression_sites(r.next, where, site);
      if (r.width.bits == 1 && r.width.expr.empty())
        for (const char* v : {"1'b0", "1'b1"})
          if (r.next != v) site(fmt::format("stuck: {}: <= {}", where, v), [&r, v] { r.next = v; });
    }
    site(fmt::format("hold: {}: reg {}_q never loads", module, r.name), [&r] { r.enable = "1'b0"; });
  }
  for (Memory& mem : s.memories)
    site(fmt::format("hold: {}: memory {} never written", module, mem.name), [&mem] { mem.write_enable = "1'b0"; });
  for (Loop& l : s.loops) scope_sites(l.body, module + "/" + l.label, site);
}

}  // namespace

std::vector<std::string> mutation_sites(const Module& m) {
  Module copy = m;
  std::vector<std::string> out;
  scope_sites(copy, m.name, [&](const std::string& what, const std::function<void()>&) { out.push_back(what); });
  return out;
}

Module mutate(const Module& m, size_t index) {
  Module copy = m;
  size_t i = 0;
  bool done = false;
  scope_sites(copy, m.name, [&](const std::string&, const std::function<void()>& apply) {
    if (i++ == index && !done) apply(), done = true;
  });
  if (!done) throw std::out_of_range(fmt::format("{} has {} mutants, not {}", m.name, i, index + 1));
  return copy;
}

}  // namespace mixpe::hdl
