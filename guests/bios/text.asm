; Building NUL-terminated text in memory. Each routine leaves di on the terminating NUL
; so calls chain into one line.

; Appends the string at si to di.
text_append:
    lodsb
    stosb
    test al, al
    jnz text_append
    dec di
    ret

; Appends eax in decimal to di.
text_append_decimal:
    push bx
    push ecx
    push edx
    mov ecx, 10
    xor bx, bx
.divide:
    xor edx, edx
    div ecx
    push dx
    inc bx
    test eax, eax
    jnz .divide
.emit:
    pop ax
    add al, '0'
    stosb
    dec bx
    jnz .emit
    mov byte [di], 0
    pop edx
    pop ecx
    pop bx
    ret

; Appends at most cx bytes of si to di, stopping at NUL; bytes that are not printable
; ASCII become '.', so a disk's contents cannot garble the console.
text_append_printable:
    jcxz .done
.next:
    lodsb
    test al, al
    jz .done
    cmp al, ' '
    jb .unprintable
    cmp al, '~'
    jbe .store
.unprintable:
    mov al, '.'
.store:
    stosb
    loop .next
.done:
    mov byte [di], 0
    ret

; ZF set when the NUL-terminated strings at si and di are equal.
strings_equal:
    mov al, [si]
    cmp al, [di]
    jne .decided
    test al, al
    jz .decided
    inc si
    inc di
    jmp strings_equal
.decided:
    ret
