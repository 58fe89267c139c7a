; strata's BIOS test guest: a boot sector that loads the rest of the program from its
; own disk and reports on COM1 what it finds on its disks (see guests/README.md).
; Build: scripts/build-guests.sh (nasm -f bin -I guests/bios/ guests/bios/guest.asm → a 1 MiB raw disk)

bits 16
org 0x7C00

IMAGE_BYTES        equ 1024 * 1024   ; SeaBIOS cannot read a virtio boot disk under 512 KiB
SECTOR_BYTES       equ 512
COUNTER_LBA        equ 64            ; on the boot disk: magic + little-endian dword
MARK_LBA           equ 72            ; on each data disk: the marker line, NUL-padded
INSTANCE_ID_MAX    equ 64
READ_PREVIEW_MAX   equ 96

; Scratch memory below the boot sector, outside the image.
sector_buffer      equ 0x1000
fw_cfg_entry       equ 0x1200        ; one 64-byte fw_cfg directory entry
line_buffer        equ 0x1400

boot_sector:
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, 0x7C00
    jmp 0:.normalized_cs
.normalized_cs:
    sti
    cld
    mov [boot_drive], dl
    call serial_init
    mov dl, [boot_drive]
    mov si, stage2_dap
    mov ah, 0x42
    int 0x13
    jc .load_failed
    jmp stage2
.load_failed:
    mov si, msg_load_failed
    call serial_putline
    jmp halt_forever

; Interrupts off, so hlt idles the vCPU for good instead of spinning.
halt_forever:
    cli
    hlt
    jmp halt_forever

%include "serial.asm"

boot_drive:      db 0
msg_load_failed: db 'STRATA-GUEST-LOAD-FAILED', 0

stage2_dap:
    db 0x10, 0
    dw (stage2_end - stage2 + SECTOR_BYTES - 1) / SECTOR_BYTES
    dw stage2, 0
    dq 1

    times 510 - ($ - $$) db 0
    dw 0xAA55

stage2:
%include "main.asm"
%include "boot-counter.asm"
%include "data-disk.asm"
%include "disk.asm"
%include "fw-cfg.asm"
%include "text.asm"
stage2_end:

    ; A negative count here fails the build: the program outgrew the room before the counter.
    times COUNTER_LBA * SECTOR_BYTES - ($ - $$) db 0
    times IMAGE_BYTES - ($ - $$) db 0
