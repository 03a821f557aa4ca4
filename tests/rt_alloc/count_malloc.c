/*
 * A counting malloc shim for tests/rt_alloc.rs, preloaded (LD_PRELOAD) into the test process.
 *
 * It forwards every allocation function to glibc and, on a thread that has armed it, counts the
 * allocations and frees and records the call stack of each. Because it replaces malloc for
 * the whole process, it also sees what the dlopen'ed plugin allocates through its own Rust
 * allocator (which calls malloc), in debug and release builds alike.
 *
 * The stacks are return addresses from glibc's backtrace(), kept in fixed static storage (nothing
 * here allocates); the test symbolizes them. backtrace() may allocate on its first call (it loads
 * libgcc_s), so arming warms it up first, and a per-thread guard keeps anything the recording
 * itself allocates out of the counts.
 */
#include <execinfo.h>
#include <stddef.h>
#include <stdint.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *ptr, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);
extern void __libc_free(void *ptr);

#define MAX_FRAMES 64
#define MAX_STACKS 1024

/* One counted allocation or free. Mirrored by `RecordedStack` in tests/rt_alloc.rs. */
struct quintet_stack {
    /* The thread: a serial number given to each thread when it first arms (from 1). */
    uint64_t thread;
    /* Which arming of that thread it happened in (from 1): the process call, for the hook. */
    uint64_t call;
    /* 0 for an allocation, 1 for a free. */
    uint64_t kind;
    /* The bytes asked for (0 for a free). */
    uint64_t size;
    /* How many of `frames` are valid. */
    uint64_t depth;
    /* Return addresses, innermost first, starting in the allocation function (malloc, free...). */
    void *frames[MAX_FRAMES];
};

static struct quintet_stack stacks[MAX_STACKS];
/* Slots handed out so far; past MAX_STACKS a call is still counted, but its stack dropped. */
static uint64_t stacks_taken;
static uint64_t next_thread;

static __thread int armed __attribute__((tls_model("initial-exec")));
static __thread int recording __attribute__((tls_model("initial-exec")));
static __thread int warmed_up __attribute__((tls_model("initial-exec")));
static __thread uint64_t thread_serial __attribute__((tls_model("initial-exec")));
static __thread uint64_t armings __attribute__((tls_model("initial-exec")));
static __thread uint64_t allocations __attribute__((tls_model("initial-exec")));
static __thread uint64_t frees __attribute__((tls_model("initial-exec")));

/* Starts (1) or stops (0) counting on the calling thread. Starting resets the counts. */
void quintet_count_allocations(int on) {
    if (on) {
        if (!warmed_up) {
            /* The first backtrace() loads libgcc_s (and allocates): do it while disarmed. */
            void *frame[2];
            backtrace(frame, 2);
            warmed_up = 1;
        }
        if (thread_serial == 0) {
            thread_serial = __atomic_add_fetch(&next_thread, 1, __ATOMIC_RELAXED);
        }
        armings++;
        allocations = 0;
        frees = 0;
    }
    armed = on;
}

/* The counts since counting last started on the calling thread. */
uint64_t quintet_counted_allocations(void) { return allocations; }
uint64_t quintet_counted_frees(void) { return frees; }

/* How many stacks are recorded, and how many more allocations were counted without one. */
uint64_t quintet_recorded_stacks(void) {
    uint64_t taken = __atomic_load_n(&stacks_taken, __ATOMIC_ACQUIRE);
    return taken < MAX_STACKS ? taken : MAX_STACKS;
}

uint64_t quintet_dropped_stacks(void) {
    uint64_t taken = __atomic_load_n(&stacks_taken, __ATOMIC_ACQUIRE);
    return taken < MAX_STACKS ? 0 : taken - MAX_STACKS;
}

/* Recorded stack `i` (below quintet_recorded_stacks()), or NULL. Read it only once the threads
 * that allocated have been joined, and before the next quintet_clear_stacks(). */
const struct quintet_stack *quintet_recorded_stack(uint64_t i) {
    return i < quintet_recorded_stacks() ? &stacks[i] : NULL;
}

/* Forgets the recorded stacks. Only while no thread is armed. */
void quintet_clear_stacks(void) { __atomic_store_n(&stacks_taken, 0, __ATOMIC_RELEASE); }

/* Kept out of line so that the stack always starts with exactly one frame of its own, which it
 * leaves out. */
__attribute__((noinline)) static void record_stack(uint64_t kind, size_t size) {
    void *frames[MAX_FRAMES + 1];
    int depth = backtrace(frames, MAX_FRAMES + 1);
    uint64_t slot = __atomic_fetch_add(&stacks_taken, 1, __ATOMIC_ACQ_REL);
    if (slot >= MAX_STACKS) {
        return;
    }
    struct quintet_stack *stack = &stacks[slot];
    stack->thread = thread_serial;
    stack->call = armings;
    stack->kind = kind;
    stack->size = size;
    /* frames[0] is in record_stack itself. */
    stack->depth = depth > 1 ? (uint64_t)(depth - 1) : 0;
    for (uint64_t i = 0; i < stack->depth; i++) {
        stack->frames[i] = frames[i + 1];
    }
}

/* Inlined into each allocation function, so that the recorded stack starts in it. The guard keeps
 * anything backtrace() allocates out of the counts (after the warm-up, it allocates nothing). */
static inline __attribute__((always_inline)) void count_allocation(size_t size) {
    if (armed && !recording) {
        allocations++;
        recording = 1;
        record_stack(0, size);
        recording = 0;
    }
}

void *malloc(size_t size) {
    count_allocation(size);
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size) {
    count_allocation(count * size);
    return __libc_calloc(count, size);
}

void *realloc(void *ptr, size_t size) {
    count_allocation(size);
    return __libc_realloc(ptr, size);
}

void *memalign(size_t alignment, size_t size) {
    count_allocation(size);
    return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size) {
    count_allocation(size);
    return __libc_memalign(alignment, size);
}

int posix_memalign(void **out, size_t alignment, size_t size) {
    count_allocation(size);
    void *ptr = __libc_memalign(alignment, size);
    if (ptr == NULL) {
        return 12; /* ENOMEM */
    }
    *out = ptr;
    return 0;
}

void free(void *ptr) {
    if (armed && !recording && ptr != NULL) {
        frees++;
        recording = 1;
        record_stack(1, 0);
        recording = 0;
    }
    __libc_free(ptr);
}
