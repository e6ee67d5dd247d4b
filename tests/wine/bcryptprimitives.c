/* Test harness only, never shipped: Wine 8 has no bcryptprimitives.dll, whose
   ProcessPrng the Rust 1.96 Windows standard library imports (real Windows 10
   and 11 have it). This stand-in forwards to RtlGenRandom (advapi32).
   From ../shared/tools/wine-bcryptprimitives.c. Built by the Wine tests with
   x86_64-w64-mingw32-gcc -shared -o bcryptprimitives.dll bcryptprimitives.c bcryptprimitives.def */
#include <windows.h>
typedef BOOLEAN (WINAPI *RtlGenRandomFn)(PVOID, ULONG);
BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
  static RtlGenRandomFn f;
  if (!f) f = (RtlGenRandomFn)GetProcAddress(LoadLibraryA("advapi32.dll"), "SystemFunction036");
  while (len) { ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len; if (!f(data, n)) return FALSE; data += n; len -= n; }
  return TRUE;
}
