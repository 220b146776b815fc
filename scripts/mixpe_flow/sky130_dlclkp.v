// A functional model of the SKY130 HD integrated clock gate for gate-level simulation: the Liberty
// file gives GCLK as a statetable, which Yosys's read_liberty does not model. GATE is latched while
// CLK is low; GCLK = CLK & latched GATE.
module sky130_fd_sc_hd__dlclkp_1 (CLK, GATE, GCLK);
  input CLK;
  input GATE;
  output GCLK;
  reg M0;
  always @*
    if (!CLK) M0 = GATE;
  assign GCLK = CLK & M0;
endmodule
