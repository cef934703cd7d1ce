# The two commands a user needs on a fresh Debian 12 machine:
#   make run    installs what is missing, builds Release, runs the main job on the default model
#   make test   installs what is missing, builds, runs the whole ctest suite
#   make fuzz   builds the libFuzzer targets with clang in $(FUZZ_BUILD_DIR) and runs each for
#               FUZZ_SECONDS (tests/fuzz/README.md)
BUILD_DIR ?= build
JOBS      ?= $(shell nproc)
CTEST_ARGS ?=
FUZZ_BUILD_DIR ?= build-fuzz
FUZZ_SECONDS ?= 60

.PHONY: all setup configure build run test test-noonnx test-sanitize install clean fuzz

all: build

setup:
	@bash scripts/setup-deps.sh

configure: setup
	@cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j$(JOBS)

run: build
	@bash scripts/run-default.sh $(BUILD_DIR)

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j$(JOBS) $(CTEST_ARGS)

# The variant without the ONNX importer (CMake option DNNCHIP_WITH_ONNX=OFF): builds and runs the
# unit tests, so every optional dependency stays optional. CI runs it after `make test`.
test-noonnx: setup
	@cmake -S . -B $(BUILD_DIR)-noonnx -DCMAKE_BUILD_TYPE=Release -DDNNCHIP_WITH_ONNX=OFF -DDNNCHIP_BUILD_BENCH=OFF >/dev/null
	@cmake --build $(BUILD_DIR)-noonnx -j$(JOBS)
	@cd $(BUILD_DIR)-noonnx && ctest --output-on-failure -j$(JOBS) -L unit

# The unit, golden and fuzz-corpus tests under AddressSanitizer + UndefinedBehaviorSanitizer
# (CMake option DNNCHIP_SANITIZE): any memory error, leak (LeakSanitizer, on by default with ASan)
# or undefined behaviour fails. CI runs it.
test-sanitize: setup
	@cmake -S . -B $(BUILD_DIR)-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDNNCHIP_SANITIZE=ON -DDNNCHIP_BUILD_BENCH=OFF >/dev/null
	@cmake --build $(BUILD_DIR)-asan -j$(JOBS)
	@cd $(BUILD_DIR)-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j$(JOBS) -L 'unit|golden|fuzz'

install: build
	@cmake --install $(BUILD_DIR)

fuzz: setup
	@CXX=clang++ cmake -S . -B $(FUZZ_BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDNNCHIP_FUZZ=ON \
	  -DDNNCHIP_BUILD_TESTS=OFF -DDNNCHIP_BUILD_BENCH=OFF -DDNNCHIP_FUZZ_SECONDS=$(FUZZ_SECONDS) >/dev/null
	@cmake --build $(FUZZ_BUILD_DIR) -j$(JOBS) --target fuzz

clean:
	@rm -rf $(BUILD_DIR)
