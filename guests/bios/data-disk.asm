; Data disks (vdb, vdc): print what an earlier boot left in the mark sector, then leave
; this boot's mark, so tests can prove which instance wrote a disk and that it persisted.

; al = drive offset from the boot drive, si = disk name.
data_disk_report:
    mov [data_disk_name], si
    mov dl, [boot_drive]
    add dl, al
    mov [data_disk_drive], dl
    call disk_probe
    jc .absent
    mov dl, [data_disk_drive]
    mov eax, MARK_LBA
    mov bx, sector_buffer
    call disk_read_sector
    jc .read_failed
    mov si, msg_read
    call start_disk_line
    cmp byte [sector_buffer], 0
    je .empty
    mov si, sector_buffer
    mov cx, READ_PREVIEW_MAX
    call text_append_printable
    jmp .print_read
.empty:
    mov si, msg_empty
    call text_append
.print_read:
    call print_line_buffer
    call build_mark
    mov dl, [data_disk_drive]
    mov eax, MARK_LBA
    mov bx, sector_buffer
    call disk_write_sector
    jc .write_failed
    mov si, msg_wrote
    call start_disk_line
    mov si, sector_buffer
    call text_append
    jmp print_line_buffer
.absent:
    mov si, msg_absent
    jmp .print_status
.read_failed:
    mov si, msg_read_failed
    jmp .print_status
.write_failed:
    mov si, msg_write_failed
.print_status:
    call start_disk_line
    jmp print_line_buffer

; Starts line_buffer with the disk's name followed by the suffix at si; di ends the text.
start_disk_line:
    push si
    mov di, line_buffer
    mov si, [data_disk_name]
    call text_append
    pop si
    jmp text_append

; Fills sector_buffer with "STRATA-MARK boot=N id=ID" and NUL padding.
build_mark:
    mov di, sector_buffer
    mov cx, SECTOR_BYTES / 2
    xor ax, ax
    rep stosw
    mov di, sector_buffer
    mov si, msg_mark
    call text_append
    mov eax, [boot_count]
    call text_append_decimal
    mov si, msg_mark_id
    call text_append
    mov si, instance_id
    jmp text_append

data_disk_name:   dw 0
data_disk_drive:  db 0
msg_read:         db '-read: ', 0
msg_wrote:        db '-wrote: ', 0
msg_empty:        db 'empty', 0
msg_absent:       db ': absent', 0
msg_read_failed:  db ': read failed', 0
msg_write_failed: db ': write failed', 0
msg_mark:         db 'STRATA-MARK boot=', 0
msg_mark_id:      db ' id=', 0
