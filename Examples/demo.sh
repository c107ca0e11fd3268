#!/usr/bin/env bash
# The demo `make demo` runs. It grows with the tool: for now it reads and
# replays the DRTM logs of a tboot boot.
set -euo pipefail
tool=${1:?usage: demo.sh PATH-TO-aem-reseal}
here=$(cd "$(dirname "$0")" && pwd)
fixtures="$here/../../shared/fixtures/tboot"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "The DRTM event log of a tboot boot (TPM 2.0, TCG format)"
"$tool" eventlog show "$fixtures/tpm2-da.eventlog-tcg.bin"

step "Its replay: the PCR 17-22 values that boot produced"
"$tool" eventlog replay "$fixtures/tpm2-da.eventlog-tcg.bin"

step "The same boot, recovered from tboot's compressed memory log"
"$tool" eventlog replay --json "$fixtures/tpm2-da-compressed.memlog.bin"
