// SPDX-License-Identifier: GPL-3.0-or-later
// The upper halves of the x86-64 vector registers, cleared before the load's hot loops.
//
// Code that uses 256- or 512-bit registers and returns without VZEROUPPER leaves their upper halves "dirty";
// while they are, every legacy-SSE instruction pays a penalty on current Intel cores. libpcap's record copy
// and the C library's fread are such code. The headless report's command-line handling (Qt's string
// functions) left them dirty: a 1M-frame headers-only capture took 0.39 s to report instead of 0.25 s. The
// state belongs to a thread and a new thread inherits it, so the loader clears it before it starts the
// reading thread.
#pragma once

namespace ol {

inline void clearUpperVectorState()
{
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    static const bool hasAvx = __builtin_cpu_supports("avx");
    if (hasAvx)
        asm volatile("vzeroupper" ::: "memory");
#endif
}

} // namespace ol
