# aem-reseal: two commands do all set-up on a fresh Debian 12 machine.
#   make demo   install missing packages, build, run the whole flow on the bundled example
#   make test   install missing packages, build, run every test
PREFIX ?= /usr/local
DESTDIR ?=
SWIFT ?= swift
CONFIG ?= debug

# Debian packages the build and the tests need.
PACKAGES := libtss2-dev libtss2-tcti-swtpm0 libtss2-tcti-device0 libssl-dev zlib1g-dev liblzma-dev liblzo2-dev \
	swtpm swtpm-tools tpm2-tools openssl python3 gzip xz-utils lzop

.PHONY: all deps build test demo bench install clean

all: build

deps:
	@missing=""; for p in $(PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		if [ "$$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi; \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi

build: deps
	$(SWIFT) build -c $(CONFIG)

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

demo: deps
	$(SWIFT) build -c $(CONFIG)
	bin="$$($(SWIFT) build -c $(CONFIG) --show-bin-path)"; ./Examples/demo.sh "$$bin/aem-reseal" "$$bin/aem-demo-helper"

bench: deps
	@echo "no benchmarks yet"

install: deps
	$(SWIFT) build -c release --static-swift-stdlib
	install -D -m 0755 "$$($(SWIFT) build -c release --static-swift-stdlib --show-bin-path)/aem-reseal" "$(DESTDIR)$(PREFIX)/bin/aem-reseal"

clean:
	rm -rf .build
