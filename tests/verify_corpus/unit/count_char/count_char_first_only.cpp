void count_char(const char* label, char letter, int& hits) {
    hits = 0;
    if (label[0] == letter) ++hits;
}
