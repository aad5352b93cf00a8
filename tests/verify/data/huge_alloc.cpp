// Touches 100 GB: the memory limit must stop it long before the machine notices.
#include <cstdlib>
#include <cstring>
void saxpy(int n, float a, const float* x, float* y) {
    const size_t bytes = 100ULL << 30;
    char* block = static_cast<char*>(std::malloc(bytes));
    std::memset(block, 1, bytes);
    for (int i = 0; i < n; ++i) y[i] = a * x[i] + y[i] + block[i];
}
