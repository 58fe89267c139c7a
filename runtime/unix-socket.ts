// Linux's sun_path holds 108 bytes including the terminating NUL: QMP and tgtd sockets
// must fit.
export const maxUnixSocketPathBytes = 107;
