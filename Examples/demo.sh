#!/usr/bin/env bash
# `make demo`: the whole update cycle on the bundled example, against a
# throw-away swtpm. Nothing outside a temporary folder is touched.
#
#   boot Xen 4.17.3 -> stock AEM seals -> Xen 4.17.4 arrives -> predict ->
#   stage -> checklist -> reboot into 4.17.4 -> stock AEM unseals -> verify
set -euo pipefail
tool=${1:?usage: demo.sh AEM-RESEAL AEM-DEMO-HELPER}
helper=${2:?usage: demo.sh AEM-RESEAL AEM-DEMO-HELPER}
here=$(cd "$(dirname "$0")" && pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/aem-reseal-demo.XXXXXX")
swtpm_pid=
port=0
cleanup() {
    if [ -n "$swtpm_pid" ]; then
        swtpm_ioctl --tcp "127.0.0.1:$((port + 1))" -s >/dev/null 2>&1 || kill -9 "$swtpm_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

if [ -t 1 ]; then bold=$(printf '\033[1m'); plain=$(printf '\033[0m'); else bold=; plain=; fi
step() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }
run() { printf '%s$ aem-reseal %s%s\n' "$bold" "$*" "$plain"; "$tool" "$@"; }

root="$work/root"
cp -a "$here/qubes-r4.2-tpm2" "$root"
mkdir -p "$root/var/log" "$root/media/aem"
kernel=6.6.21-1.qubes.fc37.x86_64
tpm_id=4a0e1d2c9b8f7a6e5d4c3b2a19081726354a5b6c
sealed="$root/var/lib/tpms/$tpm_id/aem"

step "A software TPM 2.0 (swtpm) for this demo, with AEM's SRK at 0x81000001"
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
export TPM2TOOLS_TCTI="swtpm:host=127.0.0.1,port=$port" TSS2_LOG=all+none
ctx="$work/srk.ctx"
tpm2_createprimary -Q --hierarchy=o --key-context="$ctx"
tpm2_evictcontrol -Q -C o -c "$ctx" 0x81000001
tpm2_flushcontext -t
echo "swtpm on 127.0.0.1:$port"

# Stock AEM's TPM 2.0 sealing and unsealing (anti-evil-maid-lib-tpm2).
hex() { od -An -v -tx1 | tr -dc 0-9a-f; }
stock_seal() {
    mkdir -p "$sealed"
    local policy="$work/policy" session="$work/session"
    tpm2_startauthsession -S "$session"
    tpm2_policypcr -Q -S "$session" -l sha256:13,17,18 -L "$policy"
    tpm2_flushcontext "$session"
    tpm2_flushcontext -t
    head -c 16 /dev/urandom | tpm2_create -Q -C 0x81000001 -P str: -L "$policy" -i - -u "$sealed/key.pub" -r "$sealed/key.priv"
    echo sha256:13,17,18 > "$sealed/key.pcrs"
    tpm2_load -Q -C 0x81000001 -P str: --private "$sealed/key.priv" --public "$sealed/key.pub" -c "$work/key.ctx"
    tpm2_unseal -Q -c "$work/key.ctx" -p pcr:sha256:13,17,18 | hex |
        openssl enc -aes-256-ctr -pbkdf2 -e -kfile - -in "$root/var/lib/anti-evil-maid/aem/secret.txt" -out "$sealed/secret.txt.sealed2"
    tpm2_flushcontext -t
}
stock_unseal() {
    tpm2_load -Q -C 0x81000001 -P str: --private "$sealed/key.priv" --public "$sealed/key.pub" -c "$work/key.ctx" &&
    tpm2_unseal -Q -c "$work/key.ctx" -p "pcr:$(cat "$sealed/key.pcrs")" | hex |
        openssl enc -aes-256-ctr -pbkdf2 -d -kfile - -in "$sealed/secret.txt.sealed2"
    local status=$?
    tpm2_flushcontext -t
    return $status
}

step "Boot 1: AEM boot of Xen 4.17.3 (SENTER, SINIT and tboot extend PCR 17/18, AEM extends PCR 13)"
"$helper" boot "$root" "$port" 4.17.3 "$kernel" "$root/var/log/drtm.log" "$root/var/log/txt-stat.txt"
echo "aem-reseal-record.service keeps this boot's log and hashes every file on /boot as the boot begins:"
run record --root "$root" --tcti "$TPM2TOOLS_TCTI" --event-log "$root/var/log/drtm.log" --tboot-log "$root/var/log/txt-stat.txt"
echo "Stock AEM seals the secret to this boot and copies it to the AEM media:"
stock_seal
mkdir -p "$root/media/aem/aem/tpms/$tpm_id"
cp -r "$sealed" "$root/media/aem/aem/tpms/$tpm_id/"
run eventlog replay "$root/var/log/drtm.log"

step "A Xen update arrives (think QSB-100 / XSA-449): rpm installs xen-4.17.4.gz, grub.cfg regenerated"
"$helper" install-xen "$root" 4.17.4 2
ls -l "$root/boot" | grep -E ' (xen-|vmlinuz|initramfs)'

common=(--root "$root" --tcti "$TPM2TOOLS_TCTI" --event-log "$root/var/log/drtm.log" --tboot-log "$root/var/log/txt-stat.txt" --media "$root/media/aem")

step "Dry run: which PCRs change, and why"
run predict "${common[@]}"

step "Stage: seal the secret to the predicted PCRs (what the rpm trigger runs after the update)"
run stage "${common[@]}" --non-interactive

step "Before rebooting: the checklist"
run checklist "${common[@]}"
run status --root "$root"

step "Boot 2: reboot into Xen 4.17.4; AEM's initramfs unseals the stock way"
"$helper" reboot "$root" "$port" 4.17.4 "$kernel" "$root/var/log/drtm-2.log"
printf '%sThe secret appears:%s ' "$bold" "$plain"
stock_unseal

step "After logging in: verify the prediction held"
run verify --root "$root" --tcti "$TPM2TOOLS_TCTI"
run status --root "$root"

step "And an evil maid's boot: Xen 4.17.4 with one byte changed"
evil="$work/evil"
gzip -dc "$root/boot/xen-4.17.4.gz" > "$evil"
printf '\x00' | dd of="$evil" bs=1 seek=100 conv=notrunc status=none
gzip -nc "$evil" > "$root/boot/xen-4.17.4.gz"
"$helper" reboot "$root" "$port" 4.17.4 "$kernel" "$root/var/log/drtm-3.log"
if stock_unseal >/dev/null 2>&1; then
    echo "the secret appeared: this must not happen" >&2
    exit 1
fi
echo "The TPM refuses to unseal: no secret is shown, so the user knows not to type the disk passphrase."
