; The boot counter lives in a sector of the boot disk, so it shows whose copy of the
; disk booted: a fresh overlay counts from 1, a snapshot continues its source's count.

; Reads, increments and writes back the counter; prints boot-count=N (or why not).
boot_counter_increment:
    mov dl, [boot_drive]
    mov eax, COUNTER_LBA
    mov bx, sector_buffer
    call disk_read_sector
    jc .read_failed
    xor eax, eax
    mov si, sector_buffer
    mov di, counter_magic
    call strings_equal
    jne .count_known        ; no magic: a disk that never booted this guest
    mov eax, [sector_buffer + counter_magic_bytes]
.count_known:
    inc eax
    mov [boot_count], eax
    mov si, counter_magic
    mov di, sector_buffer
    call text_append
    mov eax, [boot_count]
    mov [sector_buffer + counter_magic_bytes], eax
    mov dl, [boot_drive]
    mov eax, COUNTER_LBA
    mov bx, sector_buffer
    call disk_write_sector
    pushf
    mov di, line_buffer
    mov si, msg_boot_count
    call text_append
    mov eax, [boot_count]
    call text_append_decimal
    call print_line_buffer
    popf
    jc .write_failed
    ret
.read_failed:
    mov si, msg_counter_read_failed
    jmp serial_putline
.write_failed:
    mov si, msg_counter_write_failed
    jmp serial_putline

boot_count:               dd 0
counter_magic:            db 'STRATA-COUNTER', 0
counter_magic_bytes       equ $ - counter_magic
msg_boot_count:           db 'boot-count=', 0
msg_counter_read_failed:  db 'boot-count: read failed', 0
msg_counter_write_failed: db 'boot-count: write failed', 0
