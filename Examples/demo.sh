#!/usr/bin/env bash
# `make demo`: the whole update cycle on the bundled example, against a
# throw-away swtpm. Nothing outside a temporary folder is touched.
set -euo pipefail
tool=${1:?usage: demo.sh AEM-RESEAL AEM-DEMO-HELPER}
helper=${2:?usage: demo.sh AEM-RESEAL AEM-DEMO-HELPER}
here=$(cd "$(dirname "$0")" && pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/aem-reseal-demo.XXXXXX")
swtpm_pid=
cleanup() {
    if [ -n "$swtpm_pid" ]; then
        swtpm_ioctl --tcp "127.0.0.1:$((port + 1))" -s >/dev/null 2>&1 || kill -9 "$swtpm_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

bold=$(tput bold 2>/dev/null || true)
plain=$(tput sgr0 2>/dev/null || true)
step() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }
run() { printf '%s$ %s%s\n' "$bold" "aem-reseal $*" "$plain"; "$tool" "$@"; }

root="$work/root"
cp -a "$here/qubes-r4.2-tpm2" "$root"
mkdir -p "$root/var/log"
kernel=6.6.21-1.qubes.fc37.x86_64

step "Start a software TPM 2.0 (swtpm) for this demo"
mkdir -p "$work/tpm"
for attempt in 1 2 3 4 5 6 7 8 9 10; do
    port=$(( (RANDOM % 20000) + 30000 ))
    swtpm socket --tpm2 --server "type=tcp,port=$port,bindaddr=127.0.0.1" \
        --ctrl "type=tcp,port=$((port + 1)),bindaddr=127.0.0.1" --tpmstate "dir=$work/tpm" \
        --flags not-need-init,startup-clear >"$work/swtpm.log" 2>&1 &
    swtpm_pid=$!
    sleep 0.3
    if kill -0 "$swtpm_pid" 2>/dev/null; then break; fi
    swtpm_pid=
done
[ -n "$swtpm_pid" ] || { echo "swtpm did not start" >&2; exit 1; }
tcti="swtpm:host=127.0.0.1,port=$port"
echo "swtpm listening on 127.0.0.1:$port"

step "Boot 1: an AEM boot of Xen 4.17.3 (SENTER, SINIT and tboot extend PCR 17/18, AEM extends PCR 13)"
"$helper" boot "$root" "$port" 4.17.3 "$kernel" "$root/var/log/drtm.log" "$root/var/log/txt-stat.txt"
run eventlog replay "$root/var/log/drtm.log"

step "Before any update: the prediction must reproduce this boot"
run predict --root "$root" --tcti "$tcti" --event-log "$root/var/log/drtm.log" --tboot-log "$root/var/log/txt-stat.txt"

step "A Xen update arrives (think QSB-100 / XSA-449): xen-4.17.4.gz, grub.cfg regenerated"
"$helper" install-xen "$root" 4.17.4 2
ls -l "$root/boot" | grep -E 'xen-|vmlinuz|initramfs'

step "Dry run after the update: which PCRs change, and why"
run predict --root "$root" --tcti "$tcti" --event-log "$root/var/log/drtm.log" --tboot-log "$root/var/log/txt-stat.txt"
