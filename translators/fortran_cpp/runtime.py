"""Small C++ helpers emitted into the translated file (inline, no separate header), only
when the translation uses them: Fortran semantics that C++ lacks a one-liner for."""

from __future__ import annotations

HELPERS = {
    "int_pow": ("""\
// Integer power as Fortran defines it: a negative exponent yields 0 unless |base| is 1.
// constexpr: class sizes such as nm = 2 + 2**lm are constants.
template <typename T>
constexpr T int_pow(T base, T exponent) {
    if (exponent < 0) {
        if (base == 1) return 1;
        if (base == -1) return exponent % 2 == 0 ? 1 : -1;
        return 0;
    }
    T result = 1;
    while (exponent > 0) {
        if (exponent % 2 == 1) result *= base;
        exponent /= 2;
        if (exponent > 0) base *= base;  // not squared past the last use: no overflow the result lacks
    }
    return result;
}
""", set()),
    "fortran_modulo": ("""\
// Fortran MODULO: the result takes the sign of the divisor (C++ % and fmod follow the dividend).
template <typename T>
inline T fortran_modulo(T a, T p) {
    T r;
    if constexpr (std::is_integral_v<T>) {
        r = a % p;
    } else {
        r = std::fmod(a, p);
    }
    return (r != 0 && ((r < 0) != (p < 0))) ? r + p : r;
}
""", {"cmath", "type_traits"}),
    "fortran_sign": ("""\
// Fortran SIGN for integers: |a| with the sign of b.
template <typename T>
inline T fortran_sign(T a, T b) {
    return b >= 0 ? std::abs(a) : -std::abs(a);
}
""", {"cstdlib"}),
    "fortran_ishft": ("""\
// Fortran ISHFT: a logical shift (zeros come in from either end), done on the unsigned bits.
template <typename T>
inline T fortran_ishft(T value, int shift) {
    using Bits = std::make_unsigned_t<T>;
    const int width = static_cast<int>(8 * sizeof(T));
    if (shift >= width || -shift >= width) return 0;
    const Bits bits = static_cast<Bits>(value);
    return static_cast<T>(shift >= 0 ? bits << shift : bits >> -shift);
}
""", {"type_traits"}),
    "strings": ("""\
// Fortran character(len=n) values: fixed length, blank padded; trailing blanks do not count
// in comparisons, trim or len_trim.
inline std::string fortran_fit(std::string text, std::size_t length) {
    text.resize(length, ' ');
    return text;
}

inline std::string fortran_trim(const std::string& text) {
    return text.substr(0, text.find_last_not_of(' ') + 1);
}

inline int fortran_len_trim(const std::string& text) {
    return static_cast<int>(fortran_trim(text).size());
}

inline bool fortran_equal(const std::string& a, const std::string& b) {
    return fortran_trim(a) == fortran_trim(b);
}

inline int fortran_index(const std::string& text, const std::string& part) {
    const std::size_t found = text.find(part);
    return found == std::string::npos ? 0 : static_cast<int>(found) + 1;
}
""", {"string"}),
    "ListDirected": ("""\
// Fortran list-directed output (PRINT *, WRITE(*,*)) laid out as gfortran does: one record
// per statement, items separated by blanks, adjacent character items run together, reals
// with 9 (single) or 17 (double) significant digits.
class ListDirected {
public:
    ListDirected() = default;
    ListDirected(const ListDirected&) = delete;
    ListDirected& operator=(const ListDirected&) = delete;
    ~ListDirected() { std::fputc('\\n', stdout); }

    ListDirected& operator<<(const char* text) {
        if (!last_was_text_) std::fputc(' ', stdout);
        std::fputs(text, stdout);
        last_was_text_ = true;
        return *this;
    }
    ListDirected& operator<<(const std::string& text) { return *this << text.c_str(); }
    ListDirected& operator<<(char letter) {
        const char text[2] = {letter, '\\0'};
        return *this << text;
    }
    ListDirected& operator<<(bool value) { return item(value ? "T" : "F"); }
    ListDirected& operator<<(int value) { return item(std::to_string(value)); }
    ListDirected& operator<<(long long value) { return item(std::to_string(value)); }
    ListDirected& operator<<(float value) { return item(real_text(value, 9, 2)); }
    ListDirected& operator<<(double value) { return item(real_text(value, 17, 3)); }
    template <typename T>
    ListDirected& operator<<(const std::complex<T>& value) {
        const int digits = sizeof(T) == 4 ? 9 : 17;
        const int exponent_digits = sizeof(T) == 4 ? 2 : 3;
        return item("(" + real_text(value.real(), digits, exponent_digits) + "," +
                    real_text(value.imag(), digits, exponent_digits) + ")");
    }

private:
    ListDirected& item(const std::string& text) {
        std::fputc(' ', stdout);
        std::fputs(text.c_str(), stdout);
        last_was_text_ = false;
        return *this;
    }

    // gfortran's choice between F and E editing: F while the decimal exponent fits the digits.
    static std::string real_text(double value, int digits, int exponent_digits) {
        if (std::isnan(value)) return "NaN";
        if (std::isinf(value)) return value < 0 ? "-Infinity" : "Infinity";
        char buffer[64];
        std::snprintf(buffer, sizeof buffer, "%.*E", digits - 1, value);
        char* mark = std::strchr(buffer, 'E');
        const int exponent = std::atoi(mark + 1);
        if (value == 0 || (exponent >= -1 && exponent < digits)) {
            const int decimals = value == 0 ? digits - 1 : digits - 1 - exponent;
            std::snprintf(buffer, sizeof buffer, "%#.*f", decimals, value);
            return buffer;
        }
        *mark = '\\0';
        char suffix[16];
        std::snprintf(suffix, sizeof suffix, "E%c%0*d", exponent < 0 ? '-' : '+', exponent_digits,
                      std::abs(exponent));
        return std::string(buffer) + suffix;
    }

    bool last_was_text_ = false;
};
""", {"cstdio", "cstdlib", "cstring", "cmath", "string", "complex"}),
}

HELPERS["int_field"] = ("""\
// Iw[.m] edit descriptor: at least m digits, right-justified in w columns; a value that does
// not fit is written as w asterisks, as Fortran does.
inline std::string fortran_int_field(long long value, int width, int digits) {
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%.*lld", digits, value);
    const std::string text = buffer;
    if (static_cast<int>(text.size()) > width) return std::string(width, '*');
    return std::string(width - text.size(), ' ') + text;
}
""", {"cstdio", "string"})

# The two BLAS/LAPACK service routines, for a file that calls them without defining them.
HELPERS["lsame"] = ("""\
// LSAME: whether two characters are the same letter, regardless of case.
static inline bool lsame(char ca, char cb) {
    return std::toupper(static_cast<unsigned char>(ca)) == std::toupper(static_cast<unsigned char>(cb));
}
""", {"cctype"})
HELPERS["xerbla"] = ("""\
// XERBLA: reports an illegal argument value (the message of the reference XERBLA, on stderr), and returns.
static inline void xerbla(const char* srname, int info) {
    int length = static_cast<int>(std::strlen(srname));
    while (length > 0 && srname[length - 1] == ' ') --length;
    std::fprintf(stderr, " ** On entry to %.*s parameter number %2d had an illegal value\\n", length, srname, info);
}
""", {"cstdio", "cstring"})

ORDER = ["lsame", "xerbla", "int_field", "int_pow", "fortran_modulo", "fortran_sign", "fortran_ishft", "strings", "ListDirected"]


def helper_code(names: set[str]) -> tuple[str, set[str]]:
    """Source of the requested helpers and the headers they need."""
    parts, includes = [], set()
    for name in ORDER:
        if name in names:
            code, needs = HELPERS[name]
            parts.append(code)
            includes |= needs
    return "\n".join(parts), includes
