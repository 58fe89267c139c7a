; The guest's report, in the order tests read it.

    mov si, msg_boot
    call serial_putline
    call fw_cfg_load_instance_id
    mov di, line_buffer
    mov si, msg_instance_id
    call text_append
    mov si, instance_id
    call text_append
    call print_line_buffer
    call boot_counter_increment
    ; Data disks are named by BIOS drive order, as Linux names virtio disks by bus order.
    mov al, 1
    mov si, name_vdb
    call data_disk_report
    mov al, 2
    mov si, name_vdc
    call data_disk_report
    mov si, msg_done
    call serial_putline
    jmp halt_forever

print_line_buffer:
    mov si, line_buffer
    jmp serial_putline

msg_boot:        db 'STRATA-GUEST-BOOT', 0
msg_done:        db 'STRATA-GUEST-DONE', 0
msg_instance_id: db 'instance-id=', 0
name_vdb:        db 'vdb', 0
name_vdc:        db 'vdc', 0
