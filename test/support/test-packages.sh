#!/usr/bin/env bash
# What the test suites need on a Debian machine beyond Node and npm (npm's pretest runs this):
# real clients and tools the suites drive — curl (HTTP and imaps://), isync (mbsync), python3
# (imaplib, smtplib), swaks (its TLS needs the two Perl modules the package only recommends),
# msmtp —, Dovecot, the reference server test/reference/ compares FETCH answers with, and
# Chromium, which the dashboard's browser tests drive through playwright-core (no browser download),
# rspamd, the spam filter a policy's spam detection may use (test/smtp/spam.test.ts), and the
# CalDAV clients test/caldav/ drives — python3-caldav, vdirsyncer — with Radicale, the reference
# CalDAV server it compares agentbox with, and Python's icalendar with recurring-ical-events,
# which read our invitations back (test/calendar/).
# Installs the missing ones as root with apt-get; otherwise names them and fails.
set -euo pipefail
exec "$(dirname "$0")/debian-packages.sh" curl isync openssl python3 swaks libnet-ssleay-perl \
  libio-socket-ssl-perl msmtp dovecot-imapd chromium rspamd \
  python3-caldav vdirsyncer radicale python3-icalendar python3-recurring-ical-events
