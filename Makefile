# Thin wrapper over CMake/CTest. `make test` and `make sim` work as first commands on a bare
# Debian machine: configuring the build runs the (idempotent) setup first.
BUILD ?= build
JOBS ?= 2

.PHONY: all setup build test test-sanitize lint sim-pe sim bench bench-icarus perf regen area power dse results fuzz-configs fuzz-cli mutate clean

all: build

setup:
	bash scripts/setup.sh

$(BUILD)/CMakeCache.txt:
	bash scripts/setup.sh
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release

build: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

# Everything, then the unit and CLI tests again built with ASan + UBSan (their own build folder).
test: build test-sanitize
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

SANITIZE_BUILD = $(BUILD)-sanitize
test-sanitize: $(BUILD)/CMakeCache.txt
	cmake -S . -B $(SANITIZE_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMIXPE_SANITIZE=ON > /dev/null
	cmake --build $(SANITIZE_BUILD) -j $(JOBS) --target mixpe unit_tests
	ASAN_OPTIONS=allocator_may_return_null=1:detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --test-dir $(SANITIZE_BUILD) -L "^(unit|sanitize)$$" --output-on-failure -j $(JOBS)

TB_LIBS = $(abspath $(BUILD)/tb/libmixpe_tb.a $(BUILD)/generator/libmixpe_core.a $(BUILD)/tb/libmixpe_verilated.a)

# Every PE configuration and every engine preset through verilator -Wall, yosys and iverilog.
lint: build
	bash scripts/lint.sh $(BUILD)/mixpe $(BUILD)/lint/pe pe
	bash scripts/lint.sh $(BUILD)/mixpe $(BUILD)/lint/engine engine
	bash scripts/lint.sh $(BUILD)/mixpe $(BUILD)/lint/array array

# The checked-in RTL of the engine presets (rtl/<preset>/); the tests fail if it is stale.
regen: build
	bash scripts/regen.sh $(BUILD)/mixpe rtl

# Every PE configuration simulated against the golden PE model (testbenches cached in build/tb/pe).
sim-pe: build
	bash scripts/sim_pe.sh $(BUILD)/mixpe "$(TB_LIBS)" $(BUILD)/tb/pe

# The engine to simulate: each make variable is one option of the schema (`mixpe list options`
# prints the same table; a test checks that they agree). Unset: the defaults, W4A16, 16 x 16,
# G = 128, prealign A = 16, depth 16 (max(16, R / L, 2 x row gap)); defaults that depend on other options (ACT=int8: exact
# sums) come from the configuration. For example:
#   make sim WBITS=8 ACT=bf16 ROWS=8 COLS=4 G=64
OPTION_VARS = PRESET:--preset PE:--pe WFORMAT:--weight-format WBITS:--weight-bits SIGNED:--weight-signed \
  BOOTH:--booth TERMS:--lut-terms SHIFT:--lut-shift-bits DECODE:--lut-decode \
  PSUM:--int8-psum ACT:--act ACCUM:--accum A:--align-bits PIPE:--pipeline ROWS:--rows COLS:--cols G:--group-size \
  DEPTH:--depth LOAD:--load AXIS:--axis FRAC:--edge-frac-bits
ENGINE_OPTS = $(foreach v,$(OPTION_VARS),$(if $($(firstword $(subst :, ,$(v)))),$(lastword $(subst :, ,$(v)))=$($(firstword $(subst :, ,$(v))))))
SEED ?= 1
GEMMS ?= 40
MODEL ?= tests/data/stories260K.bin

TRACES = $(BUILD)/traces

# Real activations of every linear layer (16 tokens of FP32 greedy decoding).
$(TRACES)/tokens.txt: $(MODEL) | build
	$(BUILD)/mixpe trace --model $(MODEL) --tokens 16 -o $(TRACES)

# Random GEMMs, corner cases, every linear layer of the model with synthetic and with real (traced)
# activations: bit-exact against the golden model.
sim: build $(TRACES)/tokens.txt
	bash scripts/sim_engine.sh $(BUILD)/mixpe "$(TB_LIBS)" $(BUILD)/sim "$(ENGINE_OPTS)" \
	  --seed $(SEED) --random $(GEMMS) --model $(MODEL) --traces $(TRACES) $(if $(FST),--fst $(BUILD)/sim/engine.fst)

# Cycles, utilization and simulation speed of a 64 x 1024 x 1024 GEMM with streams never idle.
# The performance workload simulated, then LLM decode and prefill shapes from the cycle model
# (exact against the RTL: the testbench compares them on random shapes).
DECODE_SHAPES = 1x4096x4096 4x4096x4096 16x4096x4096 64x4096x4096
bench: build
	bash scripts/sim_engine.sh $(BUILD)/mixpe "$(TB_LIBS)" $(BUILD)/sim "$(ENGINE_OPTS)" --bench
	$(BUILD)/mixpe cycles $(ENGINE_OPTS) $(addprefix --shape ,$(DECODE_SHAPES))
	$(BUILD)/mixpe cycles $(ENGINE_OPTS) --load=$(or $(ROWS),16) $(addprefix --shape ,$(DECODE_SHAPES))

# LLM inference on the engines against FP16, INT8 and dequant-first arrays at equal area and DRAM
# bandwidth (docs/perf.md): tables on stdout, CSV, JSON and plots in $(BUILD)/perf.
perf: build
	$(BUILD)/mixpe perf --out $(BUILD)/perf $(PERF_OPTS)
	$(PYTHON) scripts/perf_plot.py $(BUILD)/perf

# The same GEMMs simulated in Verilator and in Icarus (recorded at the ports, replayed on the RTL):
# cycles per second of each and their ratio, on a 4 x 4 engine.
bench-icarus: build
	$(PYTHON) scripts/bench_icarus.py $(BUILD)/mixpe "$(TB_LIBS)" $(BUILD)

# Random legal engine configurations: generated and linted, every SIM_EVERY-th simulated bit-exact.
N ?= 40
SIM_EVERY ?= 10
fuzz-configs: build
	bash scripts/fuzz_configs.sh $(BUILD)/mixpe "$(TB_LIBS)" $(BUILD)/fuzz $(N) $(SEED) $(SIM_EVERY)

# Mutation testing of an engine (the make variables choose it, like make sim): MUTANTS per module,
# drawn with SEED, each run by the testbenches the suite runs for that module.
MUTANTS ?= 25
# The command line fuzzed (tests/cli_fuzz.py): CASES random argument vectors (2000); CLI_SEED unset: a
# random seed (printed).
fuzz-cli: build
	/usr/bin/python3 tests/cli_fuzz.py $(BUILD)/mixpe --cases $(or $(CASES),2000) $(if $(CLI_SEED),--seed $(CLI_SEED))

mutate: build
	bash scripts/mutate.sh $(BUILD)/mixpe "$(TB_LIBS)" $(BUILD)/mutate "$(ENGINE_OPTS)" $(MUTANTS) $(SEED)

# Sweeps (area, power, dse): one job per design point, run by GNU parallel (docs/sweeps.md). JOBS
# jobs at once per host; HOSTS=file runs them over ssh (GNU parallel --sshloginfile, ':' is this
# machine); TIMEOUT limits a job (seconds, or 30m); SLURM=1 writes the job list and prints the sbatch
# command instead; DRY_RUN=1 prints the parallel command. A point whose result exists is not redone.
SWEEP_OPTS = $(if $(HOSTS),--hosts $(HOSTS)) $(if $(TIMEOUT),--timeout $(TIMEOUT)) $(if $(SLURM),--slurm) \
  $(if $(DRY_RUN),--dry-run)

# Synthesis estimates (Yosys -> SKY130 HD, OpenSTA): build/reports/area.csv and area.json.
# Debian's python3 (its matplotlib and numpy): not whatever python3 comes first on PATH.
PYTHON ?= /usr/bin/python3
area: build
	$(PYTHON) scripts/area.py $(BUILD)/mixpe $(BUILD) -j $(JOBS) $(SWEEP_OPTS)

# Energy per MAC from gate-level simulation of small engines on the model's real activations
# (toggles counted per net, OpenSTA per cell), then the random workload replayed in Icarus with the
# cells' SDF delays (glitches): build/reports/power.csv and power.json.
# One engine at a time unless POWER_JOBS says otherwise (a gate-level build takes up to 14 GB).
POWER_CYCLES ?= 5000
POWER_JOBS ?= 1
power: build $(TRACES)/tokens.txt
	$(PYTHON) scripts/power.py $(BUILD)/mixpe "$(TB_LIBS)" $(BUILD) --traces $(TRACES) --cycles $(POWER_CYCLES) \
	  -j $(POWER_JOBS) $(SWEEP_OPTS)

# The design-space exploration: fidelity on the real traces against PE area; dse.csv and dse.png.
dse: build $(TRACES)/tokens.txt
	$(PYTHON) scripts/dse.py $(BUILD)/mixpe $(BUILD) -j $(JOBS) $(SWEEP_OPTS)

# docs/results.md from the reports the flows above wrote (each section stamped with its command and
# commit), docs/measured/area.json refreshed from build/reports/area.json and the docs' generated tables
# (the README's presets) rewritten from it: no figure typed by hand.
results:
	$(PYTHON) scripts/results.py $(BUILD)
	$(PYTHON) tests/check_docs.py $(BUILD)/mixpe --fix

clean:
	rm -rf $(BUILD) $(BUILD)-sanitize
