; The instance id QEMU passes with -fw_cfg name=opt/strata/instance-id,string=ID,
; read through the fw_cfg I/O ports (QEMU's docs/specs/fw_cfg.rst).

FW_CFG_SELECTOR    equ 0x510
FW_CFG_DATA        equ 0x511
FW_CFG_SIGNATURE   equ 0x0000
FW_CFG_FILE_DIR    equ 0x0019
FW_CFG_ENTRY_BYTES equ 64            ; be32 size, be16 select, be16 reserved, name[56]
FW_CFG_MAX_FILES   equ 256           ; bounds the directory walk

; Fills instance_id from fw_cfg; leaves "none" when QEMU passed no id.
fw_cfg_load_instance_id:
    mov ax, FW_CFG_SIGNATURE
    mov cx, 4
    call fw_cfg_read
    cmp dword [fw_cfg_entry], 'QEMU'
    jne .done
    mov ax, FW_CFG_FILE_DIR
    mov cx, 4
    call fw_cfg_read
    mov eax, [fw_cfg_entry]
    bswap eax
    cmp eax, FW_CFG_MAX_FILES
    jbe .count_bounded
    mov eax, FW_CFG_MAX_FILES
.count_bounded:
    mov bp, ax
.next_entry:
    test bp, bp
    jz .done
    dec bp
    mov cx, FW_CFG_ENTRY_BYTES
    call fw_cfg_read_more
    mov si, fw_cfg_entry + 8
    mov di, instance_id_file
    call strings_equal
    jne .next_entry
    mov ecx, [fw_cfg_entry]
    bswap ecx
    test ecx, ecx
    jz .done
    cmp ecx, INSTANCE_ID_MAX
    jbe .size_bounded
    mov ecx, INSTANCE_ID_MAX
.size_bounded:
    mov ax, [fw_cfg_entry + 4]
    xchg al, ah
    call fw_cfg_read
    mov byte [di], 0        ; the blob has no NUL of its own
    mov cx, INSTANCE_ID_MAX
    mov si, fw_cfg_entry
    mov di, instance_id
    jmp text_append_printable
.done:
    ret

; ax = item to select, cx = bytes to read into fw_cfg_entry.
fw_cfg_read:
    mov dx, FW_CFG_SELECTOR
    out dx, ax
; cx = bytes to read from the selected item's current offset into fw_cfg_entry.
fw_cfg_read_more:
    mov di, fw_cfg_entry
    mov dx, FW_CFG_DATA
    rep insb
    ret

instance_id_file: db 'opt/strata/instance-id', 0
instance_id:      db 'none', 0
    times INSTANCE_ID_MAX + 1 - ($ - instance_id) db 0
