/*
 * A counting malloc shim for tests/rt_alloc.rs, preloaded (LD_PRELOAD) into the test process.
 *
 * It forwards every allocation function to glibc and, on a thread that has armed it, counts the
 * allocations and frees. Because it replaces malloc for the whole process, it also sees what the
 * dlopen'ed plugin allocates through its own Rust allocator (which calls malloc), in debug and
 * release builds alike.
 */
#include <stddef.h>
#include <stdint.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *ptr, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);
extern void __libc_free(void *ptr);

static __thread int armed __attribute__((tls_model("initial-exec")));
static __thread uint64_t allocations __attribute__((tls_model("initial-exec")));
static __thread uint64_t frees __attribute__((tls_model("initial-exec")));

/* Starts (1) or stops (0) counting on the calling thread. Starting resets the counts. */
void quintet_count_allocations(int on) {
    if (on) {
        allocations = 0;
        frees = 0;
    }
    armed = on;
}

/* The counts since counting last started on the calling thread. */
uint64_t quintet_counted_allocations(void) { return allocations; }
uint64_t quintet_counted_frees(void) { return frees; }

static void count_allocation(void) {
    if (armed) {
        allocations++;
    }
}

void *malloc(size_t size) {
    count_allocation();
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size) {
    count_allocation();
    return __libc_calloc(count, size);
}

void *realloc(void *ptr, size_t size) {
    count_allocation();
    return __libc_realloc(ptr, size);
}

void *memalign(size_t alignment, size_t size) {
    count_allocation();
    return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size) {
    count_allocation();
    return __libc_memalign(alignment, size);
}

int posix_memalign(void **out, size_t alignment, size_t size) {
    count_allocation();
    void *ptr = __libc_memalign(alignment, size);
    if (ptr == NULL) {
        return 12; /* ENOMEM */
    }
    *out = ptr;
    return 0;
}

void free(void *ptr) {
    if (armed && ptr != NULL) {
        frees++;
    }
    __libc_free(ptr);
}
