; COM1 output by polling the line status register; BIOS int 10h never reaches serial.

COM1               equ 0x3F8
COM1_LSR           equ COM1 + 5
LSR_THR_EMPTY      equ 0x20

serial_init:
    mov dx, COM1 + 1        ; no UART interrupts
    xor al, al
    out dx, al
    mov dx, COM1 + 3        ; divisor latch on
    mov al, 0x80
    out dx, al
    mov dx, COM1            ; divisor 1: 115200 baud
    mov al, 1
    out dx, al
    mov dx, COM1 + 1
    xor al, al
    out dx, al
    mov dx, COM1 + 3        ; 8N1, divisor latch off
    mov al, 0x03
    out dx, al
    ret

; Sends al. The wait is bounded so a UART that never drains cannot hang the guest.
serial_putc:
    push ax
    push cx
    push dx
    mov ah, al
    mov dx, COM1_LSR
    mov cx, 0xFFFF
.wait:
    in al, dx
    test al, LSR_THR_EMPTY
    loopz .wait
    mov al, ah
    mov dx, COM1
    out dx, al
    pop dx
    pop cx
    pop ax
    ret

; Sends the NUL-terminated string at ds:si, then CR LF.
serial_putline:
    push ax
    push si
.next:
    lodsb
    test al, al
    jz .end_of_line
    call serial_putc
    jmp .next
.end_of_line:
    mov al, 13
    call serial_putc
    mov al, 10
    call serial_putc
    pop si
    pop ax
    ret
