// SPDX-License-Identifier: Apache-2.0
// OpenSSL 3.0 allocates, and frees at once, two to four 40-byte blocks for every TLS record it writes
// (the WPACKET sub-packets of its record layer): four allocations per request that Benchdeck's own
// code cannot avoid, and a malloc call per record that wrk pays as well. Handing OpenSSL an allocator
// that keeps such small blocks on a per-thread free list makes the steady state allocation-free: after
// the first few records every block comes back from the list. Larger blocks go to malloc as before.
//
// OpenSSL accepts a new allocator only before its first allocation, so it is installed from a static
// constructor, before main(); if something allocated first, OpenSSL keeps malloc and all still works.
#include "tls_memory.h"

#include <openssl/crypto.h>

#include <pthread.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>

namespace {

constexpr size_t kSmallBytes = 64;     // the blocks worth caching: 40 bytes in OpenSSL 3.0
constexpr int kMaxCachedPerThread = 1024;
constexpr size_t kLarge = ~size_t(0);

// Before every block, so that free() knows where it goes; max_align_t keeps the payload aligned.
struct alignas(std::max_align_t) Header {
    size_t size; // the payload's capacity, or kLarge for a block of malloc's own size
};

struct FreeBlock {
    FreeBlock* next;
};

struct ThreadCache {
    FreeBlock* head = nullptr;
    int count = 0;
    bool closed = false; // the thread is ending: its frees go straight back to malloc
};
// Trivially destructible on purpose: OpenSSL frees memory at exit, after thread_local destructors.
thread_local ThreadCache cache;

pthread_key_t drainKey;

void drain(void*)
{
    cache.closed = true;
    while (cache.head != nullptr) {
        FreeBlock* block = cache.head;
        cache.head = block->next;
        std::free(reinterpret_cast<Header*>(block) - 1);
    }
    cache.count = 0;
}

void* allocate(size_t size, const char*, int)
{
    if (size <= kSmallBytes && cache.head != nullptr) {
        FreeBlock* block = cache.head;
        cache.head = block->next;
        --cache.count;
        return block;
    }
    const bool small = size <= kSmallBytes;
    auto* header = static_cast<Header*>(std::malloc(sizeof(Header) + (small ? kSmallBytes : size)));
    if (header == nullptr) {
        return nullptr;
    }
    header->size = small ? kSmallBytes : kLarge;
    if (small && !cache.closed) {
        pthread_setspecific(drainKey, &cache); // non-null: the drain runs when this thread ends
    }
    return header + 1;
}

void release(void* payload, const char*, int)
{
    if (payload == nullptr) {
        return;
    }
    Header* header = static_cast<Header*>(payload) - 1;
    if (header->size == kSmallBytes && !cache.closed && cache.count < kMaxCachedPerThread) {
        if (cache.head == nullptr) {
            pthread_setspecific(drainKey, &cache); // a thread that only frees drains its list when it ends too
        }
        auto* block = static_cast<FreeBlock*>(payload);
        block->next = cache.head;
        cache.head = block;
        ++cache.count;
        return;
    }
    std::free(header);
}

void* reallocate(void* payload, size_t size, const char* file, int line)
{
    if (payload == nullptr) {
        return allocate(size, file, line);
    }
    Header* header = static_cast<Header*>(payload) - 1;
    if (header->size == kSmallBytes && size <= kSmallBytes) {
        return payload;
    }
    if (header->size == kLarge && size > kSmallBytes) {
        auto* grown = static_cast<Header*>(std::realloc(header, sizeof(Header) + size));
        return grown != nullptr ? grown + 1 : nullptr;
    }
    // Between the two kinds: OpenSSL's realloc contract (old contents kept up to the smaller size).
    void* moved = allocate(size, file, line);
    if (moved != nullptr) {
        const size_t old = header->size == kSmallBytes ? kSmallBytes : size; // a large block holds at least `size`
        std::memcpy(moved, payload, old < size ? old : size);
        release(payload, file, line);
    }
    return moved;
}

bool installed = false;

[[gnu::constructor]] void installSmallBlockCache()
{
#if defined(__SANITIZE_ADDRESS__)
    return; // recycled blocks would hide OpenSSL's use-after-free from AddressSanitizer
#endif
    installed = pthread_key_create(&drainKey, &drain) == 0 && CRYPTO_set_mem_functions(&allocate, &reallocate, &release) == 1;
}

} // namespace

namespace benchdeck::engine {

bool tlsSmallBlockCacheInstalled()
{
    return installed;
}

} // namespace benchdeck::engine
