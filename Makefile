# make install / make uninstall (PREFIX, DESTDIR, BINARY as in scripts/install); make test runs the tests.
PREFIX ?= /usr/local
DESTDIR ?=
export PREFIX DESTDIR BINARY

.PHONY: build test install uninstall systemd-test

build:
	swift build -c release --static-swift-stdlib --scratch-path .build-static --product planwatch

test:
	swift test

install:
	scripts/install install

uninstall:
	scripts/install uninstall

systemd-test:
	Tests/systemd/run-systemd-test.sh
