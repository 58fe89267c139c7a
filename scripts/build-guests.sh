#!/usr/bin/env bash
# Builds strata's test guests from guests/ into guests/build/ (see guests/README.md):
#   bios.raw    1 MiB raw disk: the BIOS boot-sector guest (nasm)
#   bios.qcow2  the same disk as qcow2
#   uefi.raw    16 MiB FAT16 ESP (no partition table) holding GRUB as EFI/BOOT/BOOTX64.EFI
#   SHA256SUMS, MD5SUMS  checksums of the three images
# Skips every output that is newer than all of its sources, so it is cheap to rerun.
# Concurrent runs (parallel test files) take turns on a lock; an interrupted run leaves
# only its own work directory behind, never a half-written output.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
this_script="$repo_root/scripts/build-guests.sh"
sources="$repo_root/guests"
build="$repo_root/guests/build"
esp_bytes=$((16 * 1024 * 1024))
# grub.cfg is run by GRUB's normal mode, so `normal` must be in the image beside the
# commands the script uses; --install-modules keeps every other module out (10 MiB → 1 MiB).
grub_modules="normal serial terminal echo halt"

mkdir -p "$build"
exec 9>"$build/.lock"
flock -w 300 9 || { echo "build-guests: another build held $build/.lock for 5 minutes" >&2; exit 1; }
work="$(mktemp -d "$build/.work.XXXXXX")"
trap 'rm -rf "$work"' EXIT

require() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "build-guests: '$tool' is missing (apt-get install nasm qemu-utils mtools grub-efi-amd64-bin)" >&2; exit 1; }
  done
}

# True when $1 exists and is newer than every other argument.
up_to_date() {
  local output="$1" source
  shift
  [[ -e "$output" ]] || return 1
  for source in "$@"; do
    [[ "$output" -nt "$source" ]] || return 1
  done
}

publish() {
  mv -f "$work/$1" "$build/$1"
  echo "build-guests: built guests/build/$1"
}

skipped() {
  echo "build-guests: guests/build/$1 is up to date"
}

build_bios_raw() {
  local asm=("$sources"/bios/*.asm)
  if up_to_date "$build/bios.raw" "${asm[@]}" "$this_script"; then skipped bios.raw; return; fi
  require nasm
  nasm -f bin -I "$sources/bios/" -o "$work/bios.raw" "$sources/bios/guest.asm"
  publish bios.raw
}

build_bios_qcow2() {
  if up_to_date "$build/bios.qcow2" "$build/bios.raw"; then skipped bios.qcow2; return; fi
  require qemu-img
  qemu-img convert -f raw -O qcow2 "$build/bios.raw" "$work/bios.qcow2"
  publish bios.qcow2
}

build_uefi_raw() {
  if up_to_date "$build/uefi.raw" "$sources/uefi/grub.cfg" "$this_script"; then skipped uefi.raw; return; fi
  require grub-mkstandalone mformat mmd mcopy
  grub-mkstandalone -O x86_64-efi -o "$work/BOOTX64.EFI" \
    --modules="$grub_modules" --install-modules="$grub_modules" \
    --locales= --themes= --fonts= \
    "boot/grub/grub.cfg=$sources/uefi/grub.cfg"
  truncate -s "$esp_bytes" "$work/uefi.raw"
  mformat -i "$work/uefi.raw" ::
  mmd -i "$work/uefi.raw" ::/EFI ::/EFI/BOOT
  mcopy -i "$work/uefi.raw" "$work/BOOTX64.EFI" ::/EFI/BOOT/BOOTX64.EFI
  publish uefi.raw
}

write_manifests() {
  local images=(bios.raw bios.qcow2 uefi.raw) manifest
  for manifest in SHA256SUMS MD5SUMS; do
    if up_to_date "$build/$manifest" "${images[@]/#/$build/}"; then skipped "$manifest"; continue; fi
    (cd "$build" && "$([[ $manifest == SHA256SUMS ]] && echo sha256sum || echo md5sum)" "${images[@]}") >"$work/$manifest"
    publish "$manifest"
  done
}

build_bios_raw
build_bios_qcow2
build_uefi_raw
write_manifests
