// transverify's CUDA execution layer: runs CUDA kernels on the CPU.
//
// Included (with -include) in place of the CUDA toolkit when a .cu file is built
// with g++ on a machine without a usable GPU.  Launches `k<<<g, b, s, st>>>(...)`
// are rewritten by transverify into `::tvcuda::launch(...)` calls before the build.
//
// Execution model
//   * Blocks of a grid are spread over worker OS threads (one per core, at
//     least 2, override with TVCUDA_WORKERS).
//   * The threads of one block run on fibers (stackful coroutines) of one worker: a fiber
//     runs CUDA threads one after another until one of them reaches a barrier
//     (__syncthreads, __syncwarp, a warp shuffle/vote); then the next thread
//     starts on a fresh fiber.  When every thread of the block waits (or has
//     finished), the barrier is released and the waiting fibers resume in thread
//     order.  A kernel without barriers costs one fiber switch per block.
//   * __shared__ variables declared in functions are rewritten to per-worker
//     heap blocks (shared_block), private to the block the worker runs; other
//     forms fall back to `static thread_local`.  extern __shared__ points at a per-worker
//     buffer sized by the launch's shared-memory argument.
//   * Streams and events are sequential: every launch completes before
//     launch() returns.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <system_error>
#include <thread>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define TVCUDA_ASAN 1
extern "C" void __sanitizer_start_switch_fiber(void** fake_stack_save, const void* bottom, size_t size);
extern "C" void __sanitizer_finish_switch_fiber(void* fake_stack_save, const void** bottom_old, size_t* size_old);
#else
#define TVCUDA_ASAN 0
#endif

// ---- CUDA keywords ---------------------------------------------------------
#define __global__
#define __device__
#define __host__
#define __forceinline__ inline __attribute__((always_inline))
#define __noinline__ __attribute__((noinline))
#define __constant__
#define __managed__
#define __shared__ static thread_local
#define __restrict__ __restrict
#define __launch_bounds__(...)
#define __align__(n) alignas(n)
#define __CUDACC__TVCUDA 1

// ---- vector types ----------------------------------------------------------
struct dim3 {
    unsigned int x, y, z;
    constexpr dim3(unsigned int vx = 1, unsigned int vy = 1, unsigned int vz = 1) : x(vx), y(vy), z(vz) {}
};
#define TVCUDA_VEC(name, T)                                                   \
    struct name##1 { T x; };                                                  \
    struct name##2 { T x, y; };                                               \
    struct name##3 { T x, y, z; };                                            \
    struct alignas(sizeof(T) * 4 <= 16 ? sizeof(T) * 4 : 16) name##4 { T x, y, z, w; }; \
    inline name##1 make_##name##1(T x) { return {x}; }                       \
    inline name##2 make_##name##2(T x, T y) { return {x, y}; }               \
    inline name##3 make_##name##3(T x, T y, T z) { return {x, y, z}; }      \
    inline name##4 make_##name##4(T x, T y, T z, T w) { return {x, y, z, w}; }
TVCUDA_VEC(float, float)
TVCUDA_VEC(double, double)
TVCUDA_VEC(int, int)
TVCUDA_VEC(uint, unsigned int)
TVCUDA_VEC(char, signed char)
TVCUDA_VEC(uchar, unsigned char)
TVCUDA_VEC(short, short)
TVCUDA_VEC(ushort, unsigned short)
TVCUDA_VEC(long, long)
TVCUDA_VEC(longlong, long long)
TVCUDA_VEC(ulonglong, unsigned long long)
#undef TVCUDA_VEC

// ---- cuComplex.h: complex numbers as float2/double2 (real part in x) ------------------------
typedef float2 cuFloatComplex;
typedef double2 cuDoubleComplex;
typedef cuFloatComplex cuComplex;
#define TVCUDA_COMPLEX(C, T, f)                                                                      \
    inline T cuCreal##f(C z) { return z.x; }                                                         \
    inline T cuCimag##f(C z) { return z.y; }                                                         \
    inline C cuConj##f(C z) { return {z.x, -z.y}; }                                                  \
    inline C cuCadd##f(C a, C b) { return {a.x + b.x, a.y + b.y}; }                                  \
    inline C cuCsub##f(C a, C b) { return {a.x - b.x, a.y - b.y}; }                                  \
    inline C cuCmul##f(C a, C b) { return {a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x}; }          \
    inline C cuCdiv##f(C a, C b) {                                                                   \
        T s = std::fabs(b.x) + std::fabs(b.y), ars = a.x / s, ais = a.y / s, brs = b.x / s, bis = b.y / s; \
        T d = brs * brs + bis * bis;                                                                 \
        return {(ars * brs + ais * bis) / d, (ais * brs - ars * bis) / d}; }                         \
    inline T cuCabs##f(C z) { return std::hypot(z.x, z.y); }                                         \
    inline C cuCfma##f(C a, C b, C c) { return cuCadd##f(cuCmul##f(a, b), c); }
TVCUDA_COMPLEX(cuFloatComplex, float, f)
TVCUDA_COMPLEX(cuDoubleComplex, double, )
#undef TVCUDA_COMPLEX
inline cuFloatComplex make_cuFloatComplex(float r, float i) { return {r, i}; }
inline cuDoubleComplex make_cuDoubleComplex(double r, double i) { return {r, i}; }
inline cuComplex make_cuComplex(float r, float i) { return {r, i}; }
inline cuDoubleComplex cuComplexFloatToDouble(cuFloatComplex z) { return {z.x, z.y}; }
inline cuFloatComplex cuComplexDoubleToFloat(cuDoubleComplex z) { return {float(z.x), float(z.y)}; }

// ---- errors ----------------------------------------------------------------
enum cudaError_t {
    cudaSuccess = 0,
    cudaErrorInvalidValue = 1,
    cudaErrorMemoryAllocation = 2,
    cudaErrorInitializationError = 3,
    cudaErrorInvalidConfiguration = 9,
    cudaErrorInvalidDevicePointer = 17,
    cudaErrorInvalidMemcpyDirection = 21,
    cudaErrorInvalidDevice = 101,
    cudaErrorNotReady = 600,
    cudaErrorLaunchFailure = 719,
};
typedef cudaError_t cudaError;
enum cudaMemcpyKind {
    cudaMemcpyHostToHost = 0, cudaMemcpyHostToDevice = 1, cudaMemcpyDeviceToHost = 2,
    cudaMemcpyDeviceToDevice = 3, cudaMemcpyDefault = 4,
};
#define cudaMemAttachGlobal 0x01
#define cudaMemAttachHost 0x02
#define cudaHostAllocDefault 0x00
#define cudaStreamDefault 0x00
#define cudaStreamNonBlocking 0x01
#define cudaEventDefault 0x00
#define cudaEventDisableTiming 0x02

namespace tvcuda {

[[noreturn]] inline void fatal(const char* what) {
    std::fprintf(stderr, "tvcuda error: %s\n", what);
    std::fflush(stderr);
    std::fflush(stdout);
    std::_Exit(97);
}

inline cudaError_t& last_error() {
    static thread_local cudaError_t err = cudaSuccess;
    return err;
}

// Host threads see the error of the launches they made; one process-wide copy
// keeps cudaGetLastError right when the host code itself is single-threaded.
inline std::atomic<int>& sticky_error() {
    static std::atomic<int> err{0};
    return err;
}

inline cudaError_t record(cudaError_t e) {
    if (e != cudaSuccess) sticky_error().store(int(e));
    return e;
}

// ---- per-worker execution state -------------------------------------------
// ---- fibers ----------------------------------------------------------------
// A fiber switch saves the callee-saved registers on the old stack and loads
// them from the new one: no system call, unlike swapcontext (which also
// changes the signal mask, and which AddressSanitizer intercepts by clearing
// the whole target stack's shadow on every switch: measured 2.5 s and 190 s
// for 9M switches, against well under a second here).
#if defined(__x86_64__)
extern "C" void tvcuda_switch_context(void** save_sp, void* load_sp);
extern "C" void tvcuda_fiber_trampoline();
__asm__(R"(
    .text
    .weak tvcuda_switch_context
    .type tvcuda_switch_context,@function
tvcuda_switch_context:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    subq $8, %rsp
    stmxcsr (%rsp)
    fnstcw 4(%rsp)
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    ldmxcsr (%rsp)
    fldcw 4(%rsp)
    addq $8, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size tvcuda_switch_context, .-tvcuda_switch_context
    .weak tvcuda_fiber_trampoline
    .type tvcuda_fiber_trampoline,@function
tvcuda_fiber_trampoline:
    movq %rbx, %rdi
    call *%r12
    ud2
    .size tvcuda_fiber_trampoline, .-tvcuda_fiber_trampoline
)");
#else
#error "the transverify CUDA execution layer needs x86-64 (fiber switch)"
#endif

struct Fiber {
    void* sp = nullptr;
    char* stack = nullptr;
    size_t stack_size = 0;
    int thread = -1;  // linear id of the CUDA thread it runs now
    int index = 0;  // position in the block's fiber list
    enum State { Fresh, Running, WaitBlock, WaitWarp, Done } state = Fresh;
    void* fake_stack = nullptr;
};

struct BlockRun;

struct Worker {
    uint3 block_idx{0, 0, 0};
    dim3 block_dim, grid_dim;
    std::vector<Fiber*> pool;  // fibers reused from block to block
    std::vector<unsigned char> dynamic_shared;
    std::vector<std::pair<void*, size_t>> shared;  // static __shared__ variables, by id
    BlockRun* block = nullptr;
    ~Worker() {
        for (Fiber* f : pool) {
            std::free(f->stack);
            delete f;
        }
        for (auto& slot : shared) std::free(slot.first);
    }
};

inline Worker& worker() {
    static thread_local Worker w;
    return w;
}

}  // namespace tvcuda

// Built-in variables: block-wide ones are per worker; threadIdx is switched
// with the fiber.
inline thread_local uint3 threadIdx{0, 0, 0};
inline thread_local uint3 blockIdx{0, 0, 0};
inline thread_local dim3 blockDim{1, 1, 1};
inline thread_local dim3 gridDim{1, 1, 1};
constexpr int warpSize = 32;

namespace tvcuda {

using ThreadBody = void (*)(void*);

struct BlockRun {
    ThreadBody body;
    void* args;
    const char* kernel;
    int nthreads;
    int next_unstarted = 0;
    bool reverse = false;  // run the threads of each phase last to first
    std::vector<Fiber*> fibers;  // fibers in use by this block
    std::vector<int> thread_fiber;  // CUDA thread -> index in fibers
    std::vector<uint32_t> warp_gen;  // per-thread count of warp-level operations
    std::vector<uint64_t> warp_slots;  // [warp][parity][lane] values exchanged by shuffles
    void* scheduler = nullptr;
    Fiber* current = nullptr;
    const void* sched_stack_bottom = nullptr;
    size_t sched_stack_size = 0;
};

inline void set_thread_index(int t) {
    const dim3& b = blockDim;
    if (b.y == 1 && b.z == 1) {  // 1-D blocks, the common case: no divisions
        threadIdx.x = unsigned(t);
        threadIdx.y = threadIdx.z = 0;
        return;
    }
    threadIdx.x = unsigned(t) % b.x;
    threadIdx.y = (unsigned(t) / b.x) % b.y;
    threadIdx.z = unsigned(t) / (b.x * b.y);
}

inline size_t fiber_stack_size() {
    return TVCUDA_ASAN ? (512u << 10) : (128u << 10);
}

// Switch from the scheduler to a fiber, and back.
inline void switch_to_fiber(BlockRun& run, Fiber* to) {
    run.current = to;
    set_thread_index(to->thread);
#if TVCUDA_ASAN
    void* fake = nullptr;
    __sanitizer_start_switch_fiber(&fake, to->stack, to->stack_size);
    tvcuda_switch_context(&run.scheduler, to->sp);
    __sanitizer_finish_switch_fiber(fake, nullptr, nullptr);
#else
    tvcuda_switch_context(&run.scheduler, to->sp);
#endif
}

inline void yield_to_scheduler(BlockRun& run) {
    Fiber* self = run.current;
#if TVCUDA_ASAN
    __sanitizer_start_switch_fiber(&self->fake_stack, run.sched_stack_bottom, run.sched_stack_size);
    tvcuda_switch_context(&self->sp, run.scheduler);
    __sanitizer_finish_switch_fiber(self->fake_stack, &run.sched_stack_bottom, &run.sched_stack_size);
#else
    tvcuda_switch_context(&self->sp, run.scheduler);
#endif
    set_thread_index(self->thread);
}

extern "C" inline void tvcuda_fiber_main(void* arg) {
    Fiber* self = static_cast<Fiber*>(arg);
    BlockRun& run = *worker().block;
#if TVCUDA_ASAN
    __sanitizer_finish_switch_fiber(nullptr, &run.sched_stack_bottom, &run.sched_stack_size);
#endif
    // Run CUDA threads back to back until one of them blocks at a barrier; the
    // scheduler then starts the remaining ones on other fibers.
    while (run.next_unstarted < run.nthreads) {
        int k = run.next_unstarted++;
        int t = run.reverse ? run.nthreads - 1 - k : k;
        self->thread = t;
        self->state = Fiber::Running;
        run.thread_fiber[t] = self->index;
        set_thread_index(t);
        run.body(run.args);
    }
    self->state = Fiber::Done;
#if TVCUDA_ASAN
    __sanitizer_start_switch_fiber(nullptr, run.sched_stack_bottom, run.sched_stack_size);
#endif
    void* discarded;
    tvcuda_switch_context(&discarded, run.scheduler);
    __builtin_unreachable();
}

inline Fiber* start_fiber(Worker& w, BlockRun& run) {
    size_t used = run.fibers.size();
    if (w.pool.size() <= used) {
        Fiber* f = new Fiber();
        f->stack_size = fiber_stack_size();
        f->stack = static_cast<char*>(std::malloc(f->stack_size));
        if (!f->stack) fatal("out of memory for CUDA thread stacks");
        w.pool.push_back(f);
    }
    Fiber* f = w.pool[used];
    f->index = int(used);
    run.fibers.push_back(f);
    f->state = Fiber::Fresh;
    f->thread = run.next_unstarted;
    // Initial frame, as tvcuda_switch_context expects it: MXCSR/x87 control
    // words, r15..r12, rbx, rbp, then the return address (the trampoline, which
    // calls r12(rbx)).  The return slot sits at 8 mod 16 so the call is aligned.
    uintptr_t top = (reinterpret_cast<uintptr_t>(f->stack) + f->stack_size) & ~uintptr_t(15);
    uint64_t* frame = reinterpret_cast<uint64_t*>(top) - 8;
    uint32_t control[2] = {0x1F80u, 0x037Fu};
    std::memcpy(&frame[0], control, 8);
    frame[1] = 0;  // r15
    frame[2] = 0;  // r14
    frame[3] = 0;  // r13
    frame[4] = reinterpret_cast<uint64_t>(&tvcuda_fiber_main);  // r12
    frame[5] = reinterpret_cast<uint64_t>(f);  // rbx
    frame[6] = 0;  // rbp
    frame[7] = reinterpret_cast<uint64_t>(&tvcuda_fiber_trampoline);
    f->sp = frame;
    return f;
}

inline void barrier_divergence(BlockRun& run) {
    char msg[256];
    std::snprintf(msg, sizeof msg,
                  "barrier divergence in kernel '%s': threads of one warp wait at different barriers "
                  "(__syncthreads vs a warp-level operation), which deadlocks on a GPU", run.kernel);
    fatal(msg);
}

// Run every thread of the current block to completion.
inline void run_block(Worker& w, BlockRun& run) {
    run.next_unstarted = 0;
    run.fibers.clear();
    std::fill(run.thread_fiber.begin(), run.thread_fiber.end(), -1);
    std::fill(run.warp_gen.begin(), run.warp_gen.end(), 0u);
    const int nwarps = (run.nthreads + 31) / 32;
    std::vector<Fiber*> ready;
    for (;;) {
        if (run.next_unstarted < run.nthreads) {
            Fiber* f = start_fiber(w, run);
            switch_to_fiber(run, f);
            continue;
        }
        // Every thread has started: all fibers now wait or are done.
        ready.clear();
        bool any_waiting = false;
        for (int wp = 0; wp < nwarps; ++wp) {
            int lo = wp * 32, hi = std::min(run.nthreads, lo + 32);
            int warp_waiting = 0, block_waiting = 0;
            for (int t = lo; t < hi; ++t) {
                Fiber* f = run.fibers[run.thread_fiber[t]];
                if (f->thread != t || f->state == Fiber::Done) continue;
                if (f->state == Fiber::WaitWarp) ++warp_waiting;
                if (f->state == Fiber::WaitBlock) ++block_waiting;
            }
            if (warp_waiting && block_waiting) barrier_divergence(run);
            if (warp_waiting) {
                for (int t = lo; t < hi; ++t) {
                    Fiber* f = run.fibers[run.thread_fiber[t]];
                    if (f->thread == t && f->state == Fiber::WaitWarp) ready.push_back(f);
                }
            }
            any_waiting = any_waiting || warp_waiting || block_waiting;
        }
        if (!any_waiting) break;
        if (ready.empty()) {  // only __syncthreads waiters left: release the block barrier
            for (int t = 0; t < run.nthreads; ++t) {
                Fiber* f = run.fibers[run.thread_fiber[t]];
                if (f->thread == t && f->state == Fiber::WaitBlock) ready.push_back(f);
            }
        }
        if (run.reverse) std::reverse(ready.begin(), ready.end());
        for (Fiber* f : ready) {
            f->state = Fiber::Running;
            switch_to_fiber(run, f);
        }
    }
}

inline bool in_kernel() { return worker().block != nullptr; }

inline void wait(Fiber::State kind) {
    Worker& w = worker();
    BlockRun* run = w.block;
    if (!run) return;
    run->current->state = kind;
    // A fiber that blocks keeps its thread; later threads go to new fibers.
    yield_to_scheduler(*run);
}

// TVCUDA_THREAD_ORDER=reverse runs the threads of every block, between two
// barriers, from last to first.  A race-free kernel gives the same result in
// either order; verification runs both and reports a difference as a race.
inline bool reverse_order() {
    static const bool reverse = [] {
        const char* env = std::getenv("TVCUDA_THREAD_ORDER");
        return env && std::strcmp(env, "reverse") == 0;
    }();
    return reverse;
}

// TVCUDA_MALLOC_FILL=<byte> fills every cudaMalloc'ed buffer with that byte (0xBE by default):
// device memory a program copies back without writing it is undefined in CUDA, and verification
// finds such cells by running the source under two fills.
inline int malloc_fill() {
    static const int fill = [] {
        const char* env = std::getenv("TVCUDA_MALLOC_FILL");
        return env ? static_cast<int>(std::strtol(env, nullptr, 0) & 0xff) : 0xBE;
    }();
    return fill;
}

inline unsigned hardware_workers() {
    if (const char* env = std::getenv("TVCUDA_WORKERS")) {
        int n = std::atoi(env);
        if (n > 0) return unsigned(n);
    }
    unsigned n = std::thread::hardware_concurrency();
    return std::max(2u, n ? n : 2u);
}

inline void run_grid(const char* kernel, dim3 grid, dim3 block, size_t shmem, ThreadBody body, void* args) {
    const unsigned long long nblocks = (unsigned long long)grid.x * grid.y * grid.z;
    const int nthreads = int(block.x * block.y * block.z);
    std::atomic<unsigned long long> next{0};
    auto work = [&]() {
        Worker& w = worker();
        BlockRun run;
        run.body = body;
        run.args = args;
        run.kernel = kernel;
        run.nthreads = nthreads;
        run.reverse = reverse_order();
        run.thread_fiber.assign(nthreads, -1);
        run.warp_gen.assign(nthreads, 0u);
        run.warp_slots.assign(size_t((nthreads + 31) / 32) * 64, 0u);
        if (w.dynamic_shared.size() < shmem) w.dynamic_shared.resize(shmem);
        w.block = &run;
        blockDim = block;
        gridDim = grid;
        for (;;) {
            unsigned long long b = next.fetch_add(1);
            if (b >= nblocks) break;
            blockIdx.x = unsigned(b % grid.x);
            blockIdx.y = unsigned((b / grid.x) % grid.y);
            blockIdx.z = unsigned(b / ((unsigned long long)grid.x * grid.y));
            run_block(w, run);
        }
        w.block = nullptr;
        threadIdx = uint3{0, 0, 0};
    };
    unsigned nworkers = unsigned(std::min<unsigned long long>(hardware_workers(), nblocks));
    std::vector<std::thread> helpers;
    for (unsigned i = 1; i < nworkers; ++i) {
        // Fewer workers when the process limit refuses a thread: slower, same result.
        try {
            helpers.emplace_back(work);
        } catch (const std::system_error&) {
            break;
        }
    }
    work();
    for (auto& t : helpers) t.join();
}

template <class Tuple, class K>
struct Launch {
    K kernel;
    Tuple params;
    static void call(void* self) {
        auto* l = static_cast<Launch*>(self);
        Tuple copy = l->params;  // each CUDA thread gets its own copy of the parameters
        std::apply(l->kernel, copy);
    }
};

inline bool check_config(const char* kernel, const char* where, dim3 grid, dim3 block, size_t shmem) {
    const char* why = nullptr;
    unsigned long long threads = (unsigned long long)block.x * block.y * block.z;
    if (grid.x == 0 || grid.y == 0 || grid.z == 0) why = "a grid dimension is 0";
    else if (block.x == 0 || block.y == 0 || block.z == 0) why = "a block dimension is 0";
    else if (threads > 1024) why = "more than 1024 threads per block";
    else if (block.z > 64) why = "blockDim.z > 64";
    else if (grid.y > 65535 || grid.z > 65535) why = "gridDim.y or gridDim.z > 65535";
    else if (shmem > 48 * 1024) why = "more than 48 KiB of dynamic shared memory";
    if (!why) return true;
    std::fprintf(stderr,
                 "tvcuda launch error: kernel '%s' at %s: invalid configuration argument "
                 "(grid %u,%u,%u block %u,%u,%u shared %zu: %s)\n",
                 kernel, where, grid.x, grid.y, grid.z, block.x, block.y, block.z, shmem, why);
    last_error() = record(cudaErrorInvalidConfiguration);
    return false;
}

struct Stream_ {
    int id;
};

template <class... P, class... A>
void launch(const char* kernel, const char* where, dim3 grid, dim3 block, size_t shmem, Stream_* /*stream*/,
            void (*k)(P...), A&&... args) {
    if (in_kernel()) fatal("kernel launch from device code (dynamic parallelism) is not supported");
    if (!check_config(kernel, where, grid, block, shmem)) return;
    using Tuple = std::tuple<std::decay_t<P>...>;
    Launch<Tuple, void (*)(P...)> l{k, Tuple(std::forward<A>(args)...)};
    run_grid(kernel, grid, block, shmem, &Launch<Tuple, void (*)(P...)>::call, &l);
}
template <class... P, class... A>
void launch(const char* kernel, const char* where, dim3 grid, dim3 block, size_t shmem, int stream,
            void (*k)(P...), A&&... args) {
    launch(kernel, where, grid, block, shmem, static_cast<Stream_*>(nullptr), k, std::forward<A>(args)...);
    (void)stream;
}

inline void* dynamic_shared() { return worker().dynamic_shared.data(); }

// Storage of one static __shared__ variable (rewritten declarations refer to it):
// one heap block per worker, hence per running block, of exactly its size, so
// AddressSanitizer sees accesses past its end.
inline void* shared_block(int id, size_t bytes) {
    Worker& w = worker();
    if (w.shared.size() <= size_t(id)) w.shared.resize(size_t(id) + 1, {nullptr, 0});
    auto& slot = w.shared[size_t(id)];
    if (slot.first == nullptr || slot.second != bytes) {
        std::free(slot.first);
        slot.first = std::malloc(bytes ? bytes : 1);
        slot.second = bytes;
        if (!slot.first) fatal("out of memory for __shared__ variables");
    }
    return slot.first;
}

// ---- warp-level operations ---------------------------------------------------
// Each lane publishes a value, all live lanes of the warp meet, then each reads
// the lane it wants.  Two slot sets alternate so a fast lane's next exchange
// cannot overwrite a value a slow lane has yet to read.
template <class T, class Pick>
T warp_exchange(T value, Pick pick) {
    static_assert(sizeof(T) <= 8, "warp operations on types wider than 8 bytes are not supported");
    BlockRun* run = worker().block;
    if (!run) return value;
    int t = run->current->thread;
    int warp = t / 32, lane = t % 32;
    int width = std::min(32, run->nthreads - warp * 32);
    uint32_t parity = run->warp_gen[t]++ & 1u;
    uint64_t* slots = &run->warp_slots[(size_t(warp) * 2 + parity) * 32];
    uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof(T));
    slots[lane] = bits;
    wait(Fiber::WaitWarp);
    int src = pick(lane, width);
    if (src < 0 || src >= width) return value;
    T out;
    bits = slots[src];
    std::memcpy(&out, &bits, sizeof(T));
    return out;
}

inline unsigned warp_vote(bool pred) {
    BlockRun* run = worker().block;
    if (!run) return pred ? 1u : 0u;
    int t = run->current->thread;
    int warp = t / 32, lane = t % 32;
    int width = std::min(32, run->nthreads - warp * 32);
    uint32_t parity = run->warp_gen[t]++ & 1u;
    uint64_t* slots = &run->warp_slots[(size_t(warp) * 2 + parity) * 32];
    slots[lane] = pred ? 1u : 0u;
    wait(Fiber::WaitWarp);
    unsigned mask = 0;
    for (int i = 0; i < width; ++i)
        if (slots[i]) mask |= 1u << i;
    return mask;
}

inline unsigned lanes_mask() {
    BlockRun* run = worker().block;
    if (!run) return 1u;
    int t = run->current->thread;
    int width = std::min(32, run->nthreads - (t / 32) * 32);
    return width == 32 ? 0xffffffffu : ((1u << width) - 1u);
}

// ---- atomics ---------------------------------------------------------------
template <class T, class F>
T atomic_update(T* addr, F f) {
    static_assert(sizeof(T) == 4 || sizeof(T) == 8, "atomics on this type are not supported");
    using Bits = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
    Bits* p = reinterpret_cast<Bits*>(addr);
    Bits old_bits = __atomic_load_n(p, __ATOMIC_RELAXED);
    for (;;) {
        T old;
        std::memcpy(&old, &old_bits, sizeof(T));
        T nv = f(old);
        Bits new_bits;
        std::memcpy(&new_bits, &nv, sizeof(T));
        if (__atomic_compare_exchange_n(p, &old_bits, new_bits, true, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
            return old;
    }
}

}  // namespace tvcuda

// ---- barriers and warp intrinsics --------------------------------------------
inline void __syncthreads() { tvcuda::wait(tvcuda::Fiber::WaitBlock); }
inline void __syncwarp(unsigned = 0xffffffffu) { tvcuda::warp_vote(true); }
inline void __threadfence() { std::atomic_thread_fence(std::memory_order_seq_cst); }
inline void __threadfence_block() { std::atomic_thread_fence(std::memory_order_seq_cst); }
inline void __threadfence_system() { std::atomic_thread_fence(std::memory_order_seq_cst); }

template <class T>
T __shfl_sync(unsigned, T v, int src, int width = 32) {
    return tvcuda::warp_exchange(v, [&](int lane, int) { return (lane / width) * width + (((src % width) + width) % width); });
}
template <class T>
T __shfl_up_sync(unsigned, T v, unsigned delta, int width = 32) {
    return tvcuda::warp_exchange(v, [&](int lane, int) {
        int seg = (lane / width) * width;
        return lane - int(delta) < seg ? lane : lane - int(delta);
    });
}
template <class T>
T __shfl_down_sync(unsigned, T v, unsigned delta, int width = 32) {
    return tvcuda::warp_exchange(v, [&](int lane, int live) {
        int seg_end = (lane / width) * width + width;
        int src = lane + int(delta);
        return (src >= seg_end || src >= live) ? lane : src;
    });
}
template <class T>
T __shfl_xor_sync(unsigned, T v, int mask, int width = 32) {
    return tvcuda::warp_exchange(v, [&](int lane, int live) {
        int src = lane ^ mask;
        return ((src / width) != (lane / width) || src >= live) ? lane : src;
    });
}
inline unsigned __ballot_sync(unsigned, int pred) { return tvcuda::warp_vote(pred != 0); }
inline int __any_sync(unsigned m, int pred) { return __ballot_sync(m, pred) != 0; }
inline int __all_sync(unsigned, int pred) {
    unsigned live = tvcuda::lanes_mask();
    return tvcuda::warp_vote(pred != 0) == live;
}
inline unsigned __activemask() { return tvcuda::lanes_mask(); }

// ---- integer intrinsics ----------------------------------------------------
inline int __popc(unsigned x) { return __builtin_popcount(x); }
inline int __popcll(unsigned long long x) { return __builtin_popcountll(x); }
inline int __clz(int x) { return x == 0 ? 32 : __builtin_clz(unsigned(x)); }
inline int __clzll(long long x) { return x == 0 ? 64 : __builtin_clzll((unsigned long long)x); }
inline int __ffs(int x) { return __builtin_ffs(x); }
inline int __ffsll(long long x) { return __builtin_ffsll(x); }
inline unsigned __brev(unsigned x) {
    unsigned r = 0;
    for (int i = 0; i < 32; ++i) r |= ((x >> i) & 1u) << (31 - i);
    return r;
}
inline int __mul24(int a, int b) { return a * b; }
inline unsigned __umul24(unsigned a, unsigned b) { return a * b; }
inline int __mulhi(int a, int b) { return int((long long)a * b >> 32); }
template <class T>
inline T __ldg(const T* p) { return *p; }

// ---- atomics ---------------------------------------------------------------
template <class T> T atomicAdd(T* a, T v) { return tvcuda::atomic_update(a, [&](T o) { return T(o + v); }); }
template <class T> T atomicSub(T* a, T v) { return tvcuda::atomic_update(a, [&](T o) { return T(o - v); }); }
template <class T> T atomicExch(T* a, T v) { return tvcuda::atomic_update(a, [&](T) { return v; }); }
template <class T> T atomicMin(T* a, T v) { return tvcuda::atomic_update(a, [&](T o) { return v < o ? v : o; }); }
template <class T> T atomicMax(T* a, T v) { return tvcuda::atomic_update(a, [&](T o) { return v > o ? v : o; }); }
template <class T> T atomicAnd(T* a, T v) { return tvcuda::atomic_update(a, [&](T o) { return T(o & v); }); }
template <class T> T atomicOr(T* a, T v) { return tvcuda::atomic_update(a, [&](T o) { return T(o | v); }); }
template <class T> T atomicXor(T* a, T v) { return tvcuda::atomic_update(a, [&](T o) { return T(o ^ v); }); }
inline unsigned atomicInc(unsigned* a, unsigned v) {
    return tvcuda::atomic_update(a, [&](unsigned o) { return o >= v ? 0u : o + 1u; });
}
inline unsigned atomicDec(unsigned* a, unsigned v) {
    return tvcuda::atomic_update(a, [&](unsigned o) { return (o == 0 || o > v) ? v : o - 1u; });
}
template <class T> T atomicCAS(T* a, T compare, T v) {
    return tvcuda::atomic_update(a, [&](T o) { return o == compare ? v : o; });
}
#define atomicAdd_block atomicAdd
#define atomicAdd_system atomicAdd

// ---- device math -----------------------------------------------------------
// CUDA's global min/max overloads.
inline int min(int a, int b) { return a < b ? a : b; }
inline int max(int a, int b) { return a > b ? a : b; }
inline unsigned min(unsigned a, unsigned b) { return a < b ? a : b; }
inline unsigned max(unsigned a, unsigned b) { return a > b ? a : b; }
inline long long min(long long a, long long b) { return a < b ? a : b; }
inline long long max(long long a, long long b) { return a > b ? a : b; }
inline unsigned long long min(unsigned long long a, unsigned long long b) { return a < b ? a : b; }
inline unsigned long long max(unsigned long long a, unsigned long long b) { return a > b ? a : b; }
inline long min(long a, long b) { return a < b ? a : b; }
inline long max(long a, long b) { return a > b ? a : b; }
inline unsigned long min(unsigned long a, unsigned long b) { return a < b ? a : b; }
inline unsigned long max(unsigned long a, unsigned long b) { return a > b ? a : b; }
inline float min(float a, float b) { return std::fmin(a, b); }
inline float max(float a, float b) { return std::fmax(a, b); }
inline double min(double a, double b) { return std::fmin(a, b); }
inline double max(double a, double b) { return std::fmax(a, b); }
inline float min(float a, int b) { return std::fmin(a, float(b)); }
inline float max(float a, int b) { return std::fmax(a, float(b)); }
inline float min(int a, float b) { return std::fmin(float(a), b); }
inline float max(int a, float b) { return std::fmax(float(a), b); }
inline double min(double a, int b) { return std::fmin(a, double(b)); }
inline double max(double a, int b) { return std::fmax(a, double(b)); }
inline double min(float a, double b) { return std::fmin(double(a), b); }
inline double max(float a, double b) { return std::fmax(double(a), b); }
inline double min(double a, float b) { return std::fmin(a, double(b)); }
inline double max(double a, float b) { return std::fmax(a, double(b)); }
inline float rsqrtf(float x) { return 1.0f / std::sqrt(x); }
inline double rsqrt(double x) { return 1.0 / std::sqrt(x); }
inline float __fdividef(float a, float b) { return a / b; }
inline float fdividef(float a, float b) { return a / b; }
inline float __expf(float x) { return std::exp(x); }
inline float __logf(float x) { return std::log(x); }
inline float __log2f(float x) { return std::log2(x); }
inline float __sinf(float x) { return std::sin(x); }
inline float __cosf(float x) { return std::cos(x); }
inline float __tanf(float x) { return std::tan(x); }
inline float __powf(float a, float b) { return std::pow(a, b); }
inline float __exp10f(float x) { return std::pow(10.0f, x); }
inline float exp10f(float x) { return std::pow(10.0f, x); }
inline float __saturatef(float x) { return x < 0.f ? 0.f : (x > 1.f ? 1.f : x); }
inline float __fmaf_rn(float a, float b, float c) { return std::fma(a, b, c); }
inline float __fmul_rn(float a, float b) { return a * b; }
inline float __fadd_rn(float a, float b) { return a + b; }
inline float __fsub_rn(float a, float b) { return a - b; }
inline float __fdiv_rn(float a, float b) { return a / b; }
inline float __fsqrt_rn(float x) { return std::sqrt(x); }
inline double __dmul_rn(double a, double b) { return a * b; }
inline double __dadd_rn(double a, double b) { return a + b; }
inline double __fma_rn(double a, double b, double c) { return std::fma(a, b, c); }
inline int __float2int_rn(float x) { return int(std::nearbyint(x)); }
inline int __float2int_rz(float x) { return int(x); }
inline int __float2int_rd(float x) { return int(std::floor(x)); }
inline int __float2int_ru(float x) { return int(std::ceil(x)); }
inline float __int2float_rn(int x) { return float(x); }
inline unsigned __float_as_uint(float x) { unsigned u; std::memcpy(&u, &x, 4); return u; }
inline float __uint_as_float(unsigned u) { float x; std::memcpy(&x, &u, 4); return x; }
inline int __float_as_int(float x) { int u; std::memcpy(&u, &x, 4); return u; }
inline float __int_as_float(int u) { float x; std::memcpy(&x, &u, 4); return x; }
inline long long __double_as_longlong(double x) { long long u; std::memcpy(&u, &x, 8); return u; }
inline double __longlong_as_double(long long u) { double x; std::memcpy(&x, &u, 8); return x; }
inline void sincosf_tv(float x, float* s, float* c) { *s = std::sin(x); *c = std::cos(x); }
inline void __sincosf(float x, float* s, float* c) { sincosf_tv(x, s, c); }
inline float normcdff(float x) { return 0.5f * std::erfc(-x / std::sqrt(2.0f)); }
inline double normcdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }
using std::fabs; using std::sqrt; using std::exp; using std::log; using std::pow; using std::sin; using std::cos;
using std::fma; using std::floor; using std::ceil; using std::round; using std::tanh; using std::fmin; using std::fmax;

// ---- runtime API -----------------------------------------------------------
typedef tvcuda::Stream_* cudaStream_t;
struct CUevent_st { std::chrono::steady_clock::time_point at; bool recorded = false; };
typedef CUevent_st* cudaEvent_t;

struct cudaDeviceProp {
    char name[256];
    size_t totalGlobalMem;
    size_t sharedMemPerBlock;
    int regsPerBlock;
    int warpSize;
    int maxThreadsPerBlock;
    int maxThreadsDim[3];
    int maxGridSize[3];
    int clockRate;
    int multiProcessorCount;
    int major, minor;
    int maxThreadsPerMultiProcessor;
    size_t sharedMemPerMultiprocessor;
};

inline const char* cudaGetErrorString(cudaError_t e) {
    switch (e) {
        case cudaSuccess: return "no error";
        case cudaErrorInvalidValue: return "invalid argument";
        case cudaErrorMemoryAllocation: return "out of memory";
        case cudaErrorInvalidConfiguration: return "invalid configuration argument";
        case cudaErrorInvalidDevicePointer: return "invalid device pointer";
        case cudaErrorInvalidMemcpyDirection: return "invalid copy direction for memcpy";
        case cudaErrorInvalidDevice: return "invalid device ordinal";
        case cudaErrorNotReady: return "device not ready";
        default: return "unspecified launch failure";
    }
}
inline const char* cudaGetErrorName(cudaError_t e) {
    switch (e) {
        case cudaSuccess: return "cudaSuccess";
        case cudaErrorInvalidValue: return "cudaErrorInvalidValue";
        case cudaErrorMemoryAllocation: return "cudaErrorMemoryAllocation";
        case cudaErrorInvalidConfiguration: return "cudaErrorInvalidConfiguration";
        default: return "cudaErrorUnknown";
    }
}
inline cudaError_t cudaGetLastError() {
    int e = tvcuda::sticky_error().exchange(0);
    tvcuda::last_error() = cudaSuccess;
    return cudaError_t(e);
}
inline cudaError_t cudaPeekAtLastError() { return cudaError_t(tvcuda::sticky_error().load()); }
// For transverify's unit harness, which is compiled without this header: the
// error left by the last failed launch or call (and cleared), or null.
extern "C" __attribute__((weak)) const char* tvcuda_pending_error() {
    cudaError_t e = cudaGetLastError();
    return e == cudaSuccess ? nullptr : cudaGetErrorString(e);
}

inline cudaError_t cudaMalloc(void** p, size_t bytes) {
    if (!p) return tvcuda::record(cudaErrorInvalidValue);
    *p = std::malloc(bytes ? bytes : 1);
    if (*p) std::memset(*p, tvcuda::malloc_fill(), bytes);
    return *p ? cudaSuccess : tvcuda::record(cudaErrorMemoryAllocation);
}
template <class T> cudaError_t cudaMalloc(T** p, size_t bytes) { return cudaMalloc(reinterpret_cast<void**>(p), bytes); }
inline cudaError_t cudaMallocManaged(void** p, size_t bytes, unsigned = cudaMemAttachGlobal) { return cudaMalloc(p, bytes); }
template <class T> cudaError_t cudaMallocManaged(T** p, size_t bytes, unsigned f = cudaMemAttachGlobal) {
    return cudaMallocManaged(reinterpret_cast<void**>(p), bytes, f);
}
inline cudaError_t cudaMallocHost(void** p, size_t bytes) { return cudaMalloc(p, bytes); }
template <class T> cudaError_t cudaMallocHost(T** p, size_t bytes) { return cudaMalloc(reinterpret_cast<void**>(p), bytes); }
inline cudaError_t cudaHostAlloc(void** p, size_t bytes, unsigned) { return cudaMalloc(p, bytes); }
template <class T> cudaError_t cudaHostAlloc(T** p, size_t bytes, unsigned) { return cudaMalloc(reinterpret_cast<void**>(p), bytes); }
inline cudaError_t cudaFree(void* p) { std::free(p); return cudaSuccess; }
inline cudaError_t cudaFreeHost(void* p) { std::free(p); return cudaSuccess; }
inline cudaError_t cudaMemcpy(void* dst, const void* src, size_t bytes, cudaMemcpyKind kind) {
    if (unsigned(kind) > 4u) return tvcuda::record(cudaErrorInvalidMemcpyDirection);
    if (bytes) std::memmove(dst, src, bytes);
    return cudaSuccess;
}
inline cudaError_t cudaMemcpyAsync(void* dst, const void* src, size_t bytes, cudaMemcpyKind kind, cudaStream_t = nullptr) {
    return cudaMemcpy(dst, src, bytes, kind);
}
inline cudaError_t cudaMemset(void* p, int v, size_t bytes) { if (bytes) std::memset(p, v, bytes); return cudaSuccess; }
inline cudaError_t cudaMemsetAsync(void* p, int v, size_t bytes, cudaStream_t = nullptr) { return cudaMemset(p, v, bytes); }
template <class T>
cudaError_t cudaMemcpyToSymbol(T& symbol, const void* src, size_t bytes, size_t offset = 0,
                               cudaMemcpyKind = cudaMemcpyHostToDevice) {
    if (offset + bytes > sizeof(T)) return tvcuda::record(cudaErrorInvalidValue);
    std::memcpy(reinterpret_cast<char*>(&symbol) + offset, src, bytes);
    return cudaSuccess;
}
template <class T>
cudaError_t cudaMemcpyFromSymbol(void* dst, const T& symbol, size_t bytes, size_t offset = 0,
                                 cudaMemcpyKind = cudaMemcpyDeviceToHost) {
    if (offset + bytes > sizeof(T)) return tvcuda::record(cudaErrorInvalidValue);
    std::memcpy(dst, reinterpret_cast<const char*>(&symbol) + offset, bytes);
    return cudaSuccess;
}
inline cudaError_t cudaDeviceSynchronize() { return cudaError_t(tvcuda::sticky_error().load()); }
inline cudaError_t cudaThreadSynchronize() { return cudaDeviceSynchronize(); }
inline cudaError_t cudaDeviceReset() { return cudaSuccess; }
inline cudaError_t cudaSetDevice(int d) { return d == 0 ? cudaSuccess : tvcuda::record(cudaErrorInvalidDevice); }
inline cudaError_t cudaGetDevice(int* d) { *d = 0; return cudaSuccess; }
inline cudaError_t cudaGetDeviceCount(int* n) { *n = 1; return cudaSuccess; }
inline cudaError_t cudaGetDeviceProperties(cudaDeviceProp* p, int d) {
    if (d != 0) return tvcuda::record(cudaErrorInvalidDevice);
    std::memset(p, 0, sizeof *p);
    std::snprintf(p->name, sizeof p->name, "transverify CPU emulation");
    p->totalGlobalMem = size_t(4) << 30;
    p->sharedMemPerBlock = 48 * 1024;
    p->sharedMemPerMultiprocessor = 64 * 1024;
    p->regsPerBlock = 65536;
    p->warpSize = 32;
    p->maxThreadsPerBlock = 1024;
    p->maxThreadsDim[0] = 1024; p->maxThreadsDim[1] = 1024; p->maxThreadsDim[2] = 64;
    p->maxGridSize[0] = 2147483647; p->maxGridSize[1] = 65535; p->maxGridSize[2] = 65535;
    p->clockRate = 1000000;
    p->multiProcessorCount = int(tvcuda::hardware_workers());
    p->major = 8; p->minor = 0;
    p->maxThreadsPerMultiProcessor = 2048;
    return cudaSuccess;
}
inline cudaError_t cudaStreamCreate(cudaStream_t* s) { *s = new tvcuda::Stream_{1}; return cudaSuccess; }
inline cudaError_t cudaStreamCreateWithFlags(cudaStream_t* s, unsigned) { return cudaStreamCreate(s); }
inline cudaError_t cudaStreamDestroy(cudaStream_t s) { delete s; return cudaSuccess; }
inline cudaError_t cudaStreamSynchronize(cudaStream_t) { return cudaDeviceSynchronize(); }
inline cudaError_t cudaStreamQuery(cudaStream_t) { return cudaSuccess; }
inline cudaError_t cudaEventCreate(cudaEvent_t* e) { *e = new CUevent_st(); return cudaSuccess; }
inline cudaError_t cudaEventCreateWithFlags(cudaEvent_t* e, unsigned) { return cudaEventCreate(e); }
inline cudaError_t cudaEventDestroy(cudaEvent_t e) { delete e; return cudaSuccess; }
inline cudaError_t cudaEventRecord(cudaEvent_t e, cudaStream_t = nullptr) {
    e->at = std::chrono::steady_clock::now();
    e->recorded = true;
    return cudaSuccess;
}
inline cudaError_t cudaEventSynchronize(cudaEvent_t) { return cudaSuccess; }
inline cudaError_t cudaEventQuery(cudaEvent_t) { return cudaSuccess; }
inline cudaError_t cudaStreamWaitEvent(cudaStream_t, cudaEvent_t, unsigned = 0) { return cudaSuccess; }
inline cudaError_t cudaEventElapsedTime(float* ms, cudaEvent_t a, cudaEvent_t b) {
    if (!a->recorded || !b->recorded) return tvcuda::record(cudaErrorInvalidValue);
    *ms = std::chrono::duration<float, std::milli>(b->at - a->at).count();
    return cudaSuccess;
}
