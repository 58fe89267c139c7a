; Sector I/O through the BIOS int 13h extensions (LBA addressing, any disk size).

BDA_HARD_DISK_COUNT equ 0x475

; dl = drive. CF set when the BIOS has no such hard disk or it lacks the extensions.
disk_probe:
    mov al, dl
    sub al, 0x80
    cmp al, [BDA_HARD_DISK_COUNT]
    jae .absent
    mov ah, 0x41
    mov bx, 0x55AA
    int 0x13
    jc .absent
    cmp bx, 0xAA55
    jne .absent
    clc
    ret
.absent:
    stc
    ret

; dl = drive, eax = LBA, bx = one-sector buffer (segment 0). CF set on failure.
disk_read_sector:
    mov cx, 0x4200
    jmp disk_transfer

disk_write_sector:
    mov cx, 0x4300          ; al = 0: write without verify
disk_transfer:
    mov word [disk_dap.count], 1
    mov [disk_dap.offset], bx
    mov [disk_dap.lba], eax
    push si
    mov si, disk_dap
    mov ax, cx
    int 0x13
    pop si
    ret

disk_dap:
    db 0x10, 0
.count:   dw 1
.offset:  dw 0
.segment: dw 0
.lba:     dq 0
