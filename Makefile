# aem-reseal: two commands do all set-up on a fresh Debian 12 machine.
#   make demo   install missing packages, build, run the whole flow on the bundled example
#   make test   install missing packages, build, run every test
PREFIX ?= /usr/local
DESTDIR ?=
SWIFT ?= swift
CONFIG ?= debug
# The binary `install-files` installs (default: the static release build).
BINARY ?= $(shell $(SWIFT) build -c release --static-swift-stdlib --show-bin-path 2>/dev/null)/aem-reseal

# What Qubes' own AEM scripts (the tests' judge, Tests/Fixtures/upstream) run,
# as dom0 and its initramfs have them, and what the tests build their disks with.
GENUINE_AEM_PACKAGES := cryptsetup-bin oathtool scrypt xxd iproute2 psmisc e2fsprogs mount util-linux gcc
# What the dom0 package's build and checks run besides rpm: find-debuginfo
# and eu-strip (the debuginfo package), rpmlint (ReleasePackageTests runs it), git.
PACKAGING_PACKAGES := debugedit elfutils rpmlint git
# Debian packages the build and the tests need (grub-emu: GRUB's own script
# engine, the oracle of the GRUB evaluation tests; tboot: a real tboot.gz and
# its lcp2_mlehash, the oracle of the MLE measurement).
PACKAGES := libtss2-dev libtss2-tcti-swtpm0 libtss2-tcti-device0 libtspi-dev libssl-dev zlib1g-dev libisal-dev liblzma-dev liblzo2-dev \
	swtpm swtpm-tools tpm2-tools trousers tpm-tools openssl python3 gzip xz-utils lzop rpm bsdutils grub-emu tboot \
	$(GENUINE_AEM_PACKAGES) binutils $(PACKAGING_PACKAGES)
# What only `make bench` needs: GNU time for peak memory, libdeflate to compare.
BENCH_PACKAGES := time libdeflate-dev
# What only `make parallel-check` needs: the load beside the suites.
PARALLEL_PACKAGES := stress-ng

.PHONY: all deps build release rpm srpm srpm-rebuild rpmlint reproducible test tree-record parallel-check lint format fuzz hostile-inputs demo bench install install-files man completions clean

all: build

# Installs whichever of $(1) are missing.
install-missing = @missing=""; for p in $(1); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		if [ "$$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi; \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi

deps:
	$(call install-missing,$(PACKAGES))

build: deps
	$(SWIFT) build -c $(CONFIG)

# The Swift runtime linked in: only libc, libcrypto, zlib, ISA-L, liblzma, liblzo2,
# libtss2 and libtspi stay dynamic. No RUNPATH ($$ORIGIN); the clone's path
# mapped to a fixed one wherever the compilers record it (debug information,
# #file), and no debug reference to the clang modules' cache files (whose
# names hash the clone's path), so that two clones build the same binary
# (packaging/check-reproducible; build-rpm zeroes the one section left).
VERSION := $(shell sed -n 's/^Version: *//p' packaging/aem-reseal.spec)
RELEASE_FLAGS := -c release --static-swift-stdlib --disable-local-rpath \
	-Xswiftc -file-prefix-map -Xswiftc $(CURDIR)=/usr/src/debug/aem-reseal-$(VERSION) \
	-Xcc -ffile-prefix-map=$(CURDIR)=/usr/src/debug/aem-reseal-$(VERSION) -Xlinker --build-id=sha1 \
	-Xswiftc -Xfrontend -Xswiftc -no-clang-module-breadcrumbs
release: deps
	$(SWIFT) build $(RELEASE_FLAGS) --product aem-reseal

# FUZZ_SECONDS bounds each fuzz target's run (every parser has one).
FUZZ_SECONDS ?= 60

# The Swift sources stay formatted as .swift-format says (swift-format
# ships with the toolchain): `make format` rewrites, `make lint` checks.
SWIFT_SOURCES := Package.swift Sources Tests Fuzz
lint:
	$(SWIFT) format lint --strict --recursive --parallel $(SWIFT_SOURCES)

format:
	$(SWIFT) format --in-place --recursive --parallel $(SWIFT_SOURCES)

# The dom0 package is built first: its tests install it (AEM_RESEAL_RPM).
# Nothing the run does may write into the source tree: Tests/tree-unchanged
# compares `git status` (and what it lists) before and after.
TREE_STATE := .build-test/tree-before
test: tree-record deps lint rpm
	$(SWIFT) build --build-tests
	AEM_RESEAL_RPM="$(RELEASE_RPM)" $(SWIFT) test --skip-build
	./Fuzz/run $(FUZZ_SECONDS)
	./Tests/tree-unchanged check $(TREE_STATE)

tree-record:
	./Tests/tree-unchanged record $(TREE_STATE)

# The suites that share loop devices, mounts and ports, side by side under
# a CPU load, PARALLEL_ROUNDS times (Tests/parallel-suites; not in make test).
PARALLEL_ROUNDS ?= 10
parallel-check: deps rpm
	$(call install-missing,$(PARALLEL_PACKAGES))
	$(SWIFT) build --build-tests
	AEM_RESEAL_RPM="$(RELEASE_RPM)" ./Tests/parallel-suites $(PARALLEL_ROUNDS)

# GRUB_EMU_CASES generated configurations go through grub-emu and the
# project (make test runs 300 from seed 0); each run starts at a new seed,
# and a difference names its seed. ATTACK_SEEDS generated offline attacks
# run end to end against Qubes' own unseal (make test runs 4 from seed 0;
# each takes about 40 s).
GRUB_EMU_CASES ?= 20000
ATTACK_SEEDS ?= 40
fuzz: deps
	./Fuzz/run $(FUZZ_SECONDS)
	$(SWIFT) build --build-tests
	seed=$$(date +%s); echo "grub-emu differential: $(GRUB_EMU_CASES) cases from seed $$seed"; \
	AEM_GRUB_EMU_CASES=$(GRUB_EMU_CASES) AEM_GRUB_EMU_FIRST_SEED=$$seed $(SWIFT) test --skip-build --filter GrubEmuDifferentialTests
	seed=$$(date +%s); echo "generative attacker: $(ATTACK_SEEDS) seeds from seed $$seed"; \
	AEM_ATTACK_SEEDS=$(ATTACK_SEEDS) AEM_ATTACK_FIRST_SEED=$$seed $(SWIFT) test --skip-build --filter GenerativeAttackerTests

# HostileInputTests against the release build (what docs/reliability.md's
# table of hostile inputs quotes): each prints `bounded: ...` lines. The
# unmount during `stage` needs the fault points only debug builds have.
hostile-inputs: release
	$(SWIFT) build --build-tests
	mkdir -p .build-test
	bin="$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)"; \
	AEM_RESEAL_UNDER_TEST="$$bin/aem-reseal" $(SWIFT) test --skip-build --filter HostileInputTests \
	    --skip mediaUnmountedDuringStageIsNotCopied >.build-test/hostile-inputs.log 2>&1; status=$$?; \
	grep -E '^bounded:|Test run' .build-test/hostile-inputs.log; exit $$status

demo: deps
	$(SWIFT) build -c $(CONFIG)
	bin="$$($(SWIFT) build -c $(CONFIG) --show-bin-path)"; ./Examples/demo.sh "$$bin/aem-reseal" "$$bin/aem-demo-helper"

# The release build as installed, a realistic boot tree under .build-bench/,
# one table (docs/performance.md).
BENCH_RUNS ?= 5
bench: deps
	$(call install-missing,$(BENCH_PACKAGES))
	$(SWIFT) build -c release --static-swift-stdlib
	bin="$$($(SWIFT) build -c release --show-bin-path)"; ./Benchmarks/run "$$bin/aem-reseal" "$$bin/aem-demo-helper" $(BENCH_RUNS)

install: release install-files

# The dom0 package around the release binary (Debian's rpmbuild, Fedora's
# macros; packaging/aem-reseal.spec says which route is which): prints its
# path and SHA-256.
RPM_TOPDIR ?= $(CURDIR)/.build-rpm
RELEASE_RPM = $(firstword $(wildcard $(RPM_TOPDIR)/RPMS/x86_64/aem-reseal-$(VERSION)-*.x86_64.rpm))
rpm: release
	./packaging/build-rpm "$(RPM_TOPDIR)" "$(BINARY)"

# The source package, and its rebuild from source (rpmbuild --rebuild with
# the Swift toolchain on PATH, dependencies from the SRPM, no apt).
SRPM_TOPDIR ?= $(CURDIR)/.build-srpm
srpm:
	./packaging/build-rpm "$(SRPM_TOPDIR)"

srpm-rebuild: deps srpm
	./packaging/rebuild-srpm "$(SRPM_TOPDIR)"

# rpmlint (Debian's) on the packages, with packaging/rpmlint.toml.
rpmlint: rpm srpm
	rpmlint -c packaging/rpmlint.toml "$(SRPM_TOPDIR)"/SRPMS/*.src.rpm "$(RPM_TOPDIR)"/RPMS/x86_64/*.rpm

# Two clones at different paths build the same packages (SHA-256).
reproducible: deps
	./packaging/check-reproducible

# Installs BINARY and everything around it under DESTDIR/PREFIX.
install-files:
	install -D -m 0755 "$(BINARY)" "$(DESTDIR)$(PREFIX)/bin/aem-reseal"
	install -D -m 0755 packaging/rpm-trigger "$(DESTDIR)$(PREFIX)/libexec/aem-reseal/rpm-trigger"
	install -D -m 0755 packaging/record-at-install "$(DESTDIR)$(PREFIX)/libexec/aem-reseal/record-at-install"
	install -D -m 0644 packaging/aem-reseal-record.service "$(DESTDIR)$(PREFIX)/lib/systemd/system/aem-reseal-record.service"
	install -D -m 0644 packaging/80-aem-reseal.preset "$(DESTDIR)$(PREFIX)/lib/systemd/system-preset/80-aem-reseal.preset"
	install -D -m 0644 docs/aem-reseal.1 "$(DESTDIR)$(PREFIX)/share/man/man1/aem-reseal.1"
	install -D -m 0644 completions/aem-reseal.bash "$(DESTDIR)$(PREFIX)/share/bash-completion/completions/aem-reseal"
	install -D -m 0644 completions/_aem-reseal "$(DESTDIR)$(PREFIX)/share/zsh/site-functions/_aem-reseal"
	install -d -m 0700 "$(DESTDIR)/var/lib/aem-reseal"

# Regenerates the committed man page and shell completions from the argument parser.
man:
	$(SWIFT) package --allow-writing-to-package-directory generate-manual
	./docs/man/assemble .build/plugins/GenerateManual/outputs/aem-reseal/aem-reseal.1 > docs/aem-reseal.1

completions: build
	bin="$$($(SWIFT) build -c $(CONFIG) --show-bin-path)"; \
	"$$bin/aem-reseal" --generate-completion-script bash > completions/aem-reseal.bash; \
	"$$bin/aem-reseal" --generate-completion-script zsh > completions/_aem-reseal

clean:
	rm -rf .build
