// Synthesis of the generator's integrated clock gate (mixpe_clock_gate, a behavioural latch and
// AND) as the SKY130 HD clock-gating cell: Yosys 0.23 has no clock-gating pass and ABC cannot map
// latches. area.py reads this file in place of the generated mixpe_clock_gate.v.
module mixpe_clock_gate (
  input  wire clk_i,
  input  wire en_i,
  output wire gclk_o
);
  sky130_fd_sc_hd__dlclkp_1 u_icg (.CLK(clk_i), .GATE(en_i), .GCLK(gclk_o));
endmodule
