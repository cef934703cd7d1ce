# The two commands a user needs on a fresh Debian 12 machine:
#   make run    installs what is missing, builds Release, runs the main job on the default model
#   make test   installs what is missing, builds, runs the whole ctest suite
BUILD_DIR ?= build
JOBS      ?= $(shell nproc)
CTEST_ARGS ?=

.PHONY: all setup configure build run test install clean

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

install: build
	@cmake --install $(BUILD_DIR)

clean:
	@rm -rf $(BUILD_DIR)
