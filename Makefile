# The two commands of the README:
#   make digest   build, then render the sample data's latest month into output/ (in each of its languages)
#                 and publish every month to the web archive in output/site/
#   make test     run every test
# Both install missing system libraries first (scripts/install-deps).

SWIFT ?= swift

.PHONY: digest test deps test-deps build bench bench-mail bench-state bench-deliverability bench-languages screenshots format lint clean

# A debug build: it shares its compilation with `make test`, and one month
# renders in well under a second either way. `make build` makes the release binary.
digest: deps
	$(SWIFT) build --product digest
	.build/debug/digest check
	.build/debug/digest render --all-languages
	.build/debug/digest archive

test: test-deps
	$(SWIFT) build --product digest
	$(SWIFT) test
	python3 -m pytest -q Tests/python

deps:
	@scripts/install-deps

test-deps:
	@scripts/install-deps --test

# Statically linked Swift runtime and Foundation: the binary runs on a machine
# without the Swift toolchain, and starts in about half the time (the
# dynamic loader's symbol lookups were a fifth of rendering one month).
RELEASE = -c release --static-swift-stdlib

build: deps
	$(SWIFT) build $(RELEASE) --product digest

# Release-built benchmarks against their goals and the Python peer (not part of CI).
bench: deps
	$(SWIFT) build $(RELEASE) --product digest
	$(SWIFT) build -c release --package-path Benchmarks
	Benchmarks/.build/release/digest-bench --digest .build/release/digest --repo $(CURDIR)

# Personal digests for 100,000 members against the Python peer (Jinja2 and
# the email package), digest send to aiosmtpd on loopback, and over several
# sessions: to a relay that waits 25 ms a reply (1 and 16 sessions), and to
# Postfix's smtp-sink beside smtp-source (20,000 messages, 8 sessions).
# (`digest-bench --sessions-only` runs the last part alone.)
bench-mail: deps
	$(SWIFT) build $(RELEASE) --product digest
	$(SWIFT) build -c release --package-path Benchmarks
	Benchmarks/.build/release/digest-bench --digest .build/release/digest --repo $(CURDIR) --mail-only

# The list's state (issue 21): a send's first message for 100,000 members,
# digest serve under one-click POSTs (needs wrk), 10,000 delivery reports
# read beside flufl.bounce (pip install flufl.bounce).
# The languages' cost: 100,000 members a third each in en/fr/es, and one
# month in three languages beside one (about two minutes).
bench-languages: deps
	$(SWIFT) build $(RELEASE) --product digest
	$(SWIFT) build -c release --package-path Benchmarks
	Benchmarks/.build/release/digest-bench --digest .build/release/digest --repo $(CURDIR) --languages-only

bench-state: deps
	$(SWIFT) build $(RELEASE) --product digest
	$(SWIFT) build -c release --package-path Benchmarks
	Benchmarks/.build/release/digest-bench --digest .build/release/digest --repo $(CURDIR) --state-only

# Mail that arrives (issue 33): a 20,000-member send unsigned and signed
# with RSA-2048, Ed25519 and both; digest serve's webhook routes under wrk
# with signed SendGrid and SES requests (about three minutes).
bench-deliverability: deps
	$(SWIFT) build $(RELEASE) --product digest
	$(SWIFT) build -c release --package-path Benchmarks
	Benchmarks/.build/release/digest-bench --digest .build/release/digest --repo $(CURDIR) --deliverability-only

# Photographs a month's newsletter at 600 and 375 px (needs Debian's chromium).
screenshots:
	scripts/screenshots $(MONTH)

format:
	$(SWIFT) format format -i -r Sources Tests Benchmarks/Sources Package.swift

lint:
	$(SWIFT) format lint -r Sources Tests Benchmarks/Sources Package.swift

clean:
	rm -rf .build Benchmarks/.build
	find output -mindepth 1 ! -name .gitkeep -exec rm -rf {} +
