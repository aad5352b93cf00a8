"""C strings in the CUDA pairs' unit harness (docs/cuda.md, "Strings").

`const char*` is a string input, `char*` a buffer (its text is an input and, up to its NUL, an
output), `char**` / `const char* const*` an array of strings whose count is its extent (inputs).
Strings are drawn from ALPHABET (letters, digits, blank and a little punctuation) with lengths
from LENGTHS (case by case) or, for arrays and buffers, uniformly in [0, 12] and [0, extent-1];
`--range NAME=LO:HI` sets the length range, `--value NAME=TEXT` pins a string (for an array:
comma-separated strings, used in turn).

Python chooses a scalar string and writes it to the case file as hex ("-" when empty); array
elements and buffers are drawn by the harness from the case's seed, identically on both sides.
"""

from __future__ import annotations

import random

ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-.,"
LENGTHS = [0, 1, 5, 16, 3, 33, 2, 8, 64, 7]
ARRAY_LENGTHS = (0, 12)


def string_token(rng: random.Random, case: int, pinned: str | None, domain) -> str:
    """The case-file token of a `const char*` input."""
    if pinned is not None:
        text = pinned
    else:
        if domain is not None and domain.numeric is not None:
            lo, hi = (max(0, int(b)) for b in domain.numeric)
            length = lo if case == 0 else hi if case == 1 else rng.randint(lo, max(lo, hi))
        else:
            length = LENGTHS[case % len(LENGTHS)]
        text = "".join(rng.choice(ALPHABET) for _ in range(length))
    return _hex(text)


def string_array_token(pinned: str | None, domain) -> str:
    """'L <hex of the NUL-separated given strings>' or 'G <lo> <hi>' (lengths to draw)."""
    if pinned is not None:
        return "L " + _hex("\0".join(pinned.split(",")))
    lo, hi = ARRAY_LENGTHS
    if domain is not None and domain.numeric is not None:
        lo, hi = (max(0, int(b)) for b in domain.numeric)
    return f"G {lo} {max(lo, hi)}"


def decode_token(token: str, dtype: str = "cstring") -> str:
    """A string's (or an array's) token, for the result's inputs summary."""
    if dtype == "cstring_array":
        kind, _, rest = token.partition(" ")
        if kind == "L":
            return ",".join(decode_token(rest).split("\0"))
        lo, _, hi = rest.partition(" ")
        return f"strings of {lo} to {hi} characters"
    return "" if token == "-" else bytes.fromhex(token).decode("utf-8", "replace")


def _hex(text: str) -> str:
    data = text.encode("utf-8")
    return data.hex() if data else "-"


def text_fill(index: int, param, seed: str, domain=None) -> tuple[list[str], str]:
    """Harness lines that make a char buffer or an array of strings, and the call's argument."""
    if param.dtype == "char_buffer":
        lo, hi = ("0", f"tv_len_{index} - 1")
        if domain is not None and domain.numeric is not None:
            lo, hi = (str(max(0, int(b))) for b in domain.numeric)
        return ([f"    char* tv_arr_{index} = new char[tv_len_{index} > 0 ? tv_len_{index} : 1]; "
                 f"fill_text(tv_arr_{index}, tv_len_{index}, {seed}, {lo}, {hi});"], f"tv_arr_{index}")
    return ([f"    char** tv_arr_{index} = make_strings(tv_len_{index}, {seed}, tv_list_{index}); "
             f"std::free(tv_list_{index}.list);"], f"({param.type_text}*)(void*)tv_arr_{index}")


def text_output(index: int) -> str:
    """A buffer's text up to its NUL (or its whole extent), written as its bytes."""
    return (f"    emit(out, tv_arr_{index}, (long long)strnlen(tv_arr_{index}, (size_t)(tv_len_{index} > 0 ? "
            f"tv_len_{index} : 0)), 1);")


TEXT_HELPERS = r"""
namespace {
const char tv_alphabet[] = "%ALPHABET%";
char* next_token(FILE* in) {
  int c; do c = std::fgetc(in); while (c == ' ' || c == '\n' || c == '\t' || c == '\r');
  size_t cap = 64, n = 0; char* buf = (char*)std::malloc(cap);
  while (c != EOF && c != ' ' && c != '\n' && c != '\t' && c != '\r') {
    if (n + 1 >= cap) buf = (char*)std::realloc(buf, cap *= 2);
    buf[n++] = (char)c; c = std::fgetc(in); }
  buf[n] = 0; return buf; }
int tv_hexval(char c) { return c <= '9' ? c - '0' : (c | 32) - 'a' + 10; }
// hex -> NUL-terminated bytes ("-": empty); *len receives the byte count.
char* tv_unhex(const char* t, size_t* len) {
  size_t n = std::strcmp(t, "-") ? std::strlen(t) / 2 : 0; char* out = (char*)std::malloc(n + 1);
  for (size_t i = 0; i < n; ++i) out[i] = (char)(tv_hexval(t[2 * i]) * 16 + tv_hexval(t[2 * i + 1]));
  out[n] = 0; if (len) *len = n; return out; }
char* next_text(FILE* in) { char* t = next_token(in); char* s = tv_unhex(t, nullptr); std::free(t); return s; }
struct tv_strings { char* list; size_t bytes; long long lo, hi; };  // given strings, or lengths to draw
tv_strings next_strings(FILE* in) {
  tv_strings r{nullptr, 0, 0, 0}; char* kind = next_token(in);
  if (kind[0] == 'L') { char* t = next_token(in); r.list = tv_unhex(t, &r.bytes); std::free(t); }
  else { r.lo = next_i64(in); r.hi = next_i64(in); }
  std::free(kind); return r; }
void draw_text(char* p, long long length, unsigned long long& s) {
  for (long long i = 0; i < length; ++i) p[i] = tv_alphabet[splitmix(s) % (sizeof tv_alphabet - 1)]; }
// n chars: a string of a drawn length (< n) and its NUL, then more letters, so that a
// translation that loses the terminator shows.
void fill_text(char* p, long long n, unsigned long long s, long long lo, long long hi) {
  if (n <= 0) return;
  draw_text(p, n, s);
  if (hi > n - 1) hi = n - 1; if (lo > hi) lo = hi;
  p[lo + (long long)(splitmix(s) % (unsigned long long)(hi - lo + 1))] = 0; }
char** make_strings(long long n, unsigned long long s, const tv_strings& spec) {
  char** out = new char*[n > 0 ? n : 1];
  size_t given = 0; if (spec.list) for (size_t i = 0; i <= spec.bytes; ++i) if (spec.list[i] == 0) ++given;
  for (long long k = 0; k < n; ++k) {
    if (spec.list) {
      const char* p = spec.list; for (size_t skip = (size_t)k % given; skip; --skip) p += std::strlen(p) + 1;
      size_t len = std::strlen(p); out[k] = new char[len + 1]; std::memcpy(out[k], p, len + 1);
    } else {
      long long len = spec.lo + (long long)(splitmix(s) % (unsigned long long)(spec.hi - spec.lo + 1));
      out[k] = new char[len + 1]; draw_text(out[k], len, s); out[k][len] = 0;
    }
  }
  return out; }
void free_strings(char** p, long long n) { for (long long k = 0; k < n; ++k) delete[] p[k]; delete[] p; }
}  // namespace
""".replace("%ALPHABET%", ALPHABET)
