#include <string>

void count_char(const std::string& label, char letter, int& hits) {
    hits = 0;
    for (char c : label) {
        if (c == letter) ++hits;
    }
}
