# Thin wrapper over CMake/CTest. `make setup` once, then `make test`.
BUILD ?= build
JOBS ?= 2

.PHONY: all setup build test lint sim-pe clean

all: build

setup:
	bash scripts/setup.sh

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release

build: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

TB_LIBS = $(abspath $(BUILD)/tb/libmixpe_tb.a $(BUILD)/generator/libmixpe_core.a $(BUILD)/tb/libmixpe_verilated.a)

# Every PE configuration through verilator -Wall, yosys and iverilog.
lint: build
	bash scripts/lint.sh $(BUILD)/mixpe $(BUILD)/lint/pe pe

# Every PE configuration simulated against the golden PE model (testbenches cached in build/tb/pe).
sim-pe: build
	bash scripts/sim_pe.sh $(BUILD)/mixpe "$(TB_LIBS)" $(BUILD)/tb/pe

clean:
	rm -rf $(BUILD)
