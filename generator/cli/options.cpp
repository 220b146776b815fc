#include "cli/options.h"

#include "numerics/error.h"

namespace mixpe {

void QuantOptions::add_to(CLI::App& app) {
  app.add_option("--weight-bits", weight_bits, "weight bits: 2, 3, 4, 8 (nf: 2..4)")->capture_default_str();
  app.add_option("--group-size", group_size, "weights per group along K: 32, 64, 128, 256")->capture_default_str();
  app.add_option("--scheme", scheme, "weight quantization: asym, sym, nf")->capture_default_str();
  app.add_option("--act", act, "activation format: fp16, bf16, int8")->capture_default_str();
  app.add_option("--accum", accum, "accumulation: prealign, exact, fp32")->capture_default_str();
  app.add_option("--align-bits", align_bits, "prealign: aligned activation width A (8..32)")->capture_default_str();
  app.add_option("--block", block, "K elements per accumulation block (the array's rows)")->capture_default_str();
  app.add_option("--lut-terms", lut_terms, "nf: entries of 1-3 signed powers of two (0: the table as it is)")
      ->capture_default_str();
  app.add_option("--edge-frac-bits", edge_frac_bits, "group accumulator fraction bits F (-1: format default)")
      ->capture_default_str();
}

WeightQuantConfig QuantOptions::weight_config() const {
  WeightQuantConfig c;
  c.bits = weight_bits;
  c.group_size = group_size;
  if (scheme == "asym") c.scheme = WeightScheme::kAsym;
  else if (scheme == "sym") c.scheme = WeightScheme::kSym;
  else if (scheme == "nf")
    c.scheme = WeightScheme::kLut,
    c.lut = lut_terms ? restrict_terms(nf_format(weight_bits), lut_terms) : nf_format(weight_bits);
  else fail("weight scheme '{}' is not supported: legal values are asym, sym, nf", scheme);
  if (lut_terms && c.scheme != WeightScheme::kLut) fail("--lut-terms applies to --scheme nf only");
  c.validate();
  return c;
}

AccumConfig QuantOptions::accum_config() const {
  AccumConfig a;
  a.mode = parse_accum(accum);
  a.align_bits = align_bits;
  a.block = block;
  a.edge_frac_bits = edge_frac_bits;
  a.validate(act_format(), group_size);
  return a;
}

}  // namespace mixpe
