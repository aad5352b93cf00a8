#include <cstring>

void count_char(const char* label, char letter, int& hits) {
    hits = 0;
    const std::size_t length = std::strlen(label);
    for (std::size_t i = 0; i < length; ++i) {
        if (label[i] == letter) ++hits;
    }
}
