// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <nghttp2/nghttp2.h>

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>

namespace benchdeck::engine {

// nghttp2 allocates for every stream it opens (the stream, its queued frames, the copied header list)
// and frees it all when the stream closes: at 100k requests/s that is several hundred thousand
// malloc/free pairs a second, taken from a heap every worker thread shares. This pool keeps freed
// blocks on free lists by size class and hands them out again, so once a run has reached its steady
// number of streams it asks the system for nothing more. One per worker thread, so no locks; it must
// outlive every session created with mem(), whose blocks it frees only in its destructor.
class PoolAllocator {
public:
    PoolAllocator()
        : mem_{this, &PoolAllocator::mallocHook, &PoolAllocator::freeHook, &PoolAllocator::callocHook,
               &PoolAllocator::reallocHook}
    {
    }
    ~PoolAllocator()
    {
        // Blocks still lent out are not ours to free; the sessions are gone before the pool, so there are none.
        for (FreeBlock* head : free_) {
            while (head != nullptr) {
                FreeBlock* next = head->next;
                std::free(headerOf(head));
                head = next;
            }
        }
    }
    PoolAllocator(const PoolAllocator&) = delete;
    PoolAllocator& operator=(const PoolAllocator&) = delete;

    void* allocate(size_t size)
    {
        if (size > kLargest) {
            return fromSystem(size); // rare (big header blocks): not worth keeping around
        }
        const size_t index = classOf(size);
        if (FreeBlock* block = free_[index]) {
            free_[index] = block->next;
            return block;
        }
        return fromSystem(kSmallest << index);
    }

    void release(void* block)
    {
        if (block == nullptr) {
            return;
        }
        Header* header = headerOf(block);
        if (header->capacity > kLargest) {
            std::free(header);
            return;
        }
        const size_t index = classOf(header->capacity);
        free_[index] = new (block) FreeBlock{free_[index]};
    }

    void* reallocate(void* block, size_t size)
    {
        if (block == nullptr) {
            return allocate(size);
        }
        const size_t capacity = headerOf(block)->capacity;
        if (size <= capacity) {
            return block; // the class was rounded up: growing within it costs nothing
        }
        void* grown = allocate(size);
        if (grown != nullptr) {
            std::memcpy(grown, block, capacity);
            release(block);
        }
        return grown;
    }

    // The allocator to hand nghttp2_session_client_new3; it points into this pool, which must not move.
    nghttp2_mem* mem() { return &mem_; }
    // Blocks obtained from std::malloc so far: flat in steady state.
    uint64_t systemAllocations() const { return systemAllocations_; }

private:
    // In front of every block: its usable size. Padded to max_align_t so the block itself keeps the
    // alignment malloc promises, which nghttp2's structs rely on.
    struct alignas(std::max_align_t) Header {
        size_t capacity;
    };
    // A free block's first bytes link it into its class's list (every class holds a pointer).
    struct FreeBlock {
        FreeBlock* next;
    };

    static constexpr size_t kSmallest = 16;
    static constexpr size_t kClasses = 13;
    static constexpr size_t kLargest = kSmallest << (kClasses - 1); // 64 KiB
    static_assert(kLargest == 64 * 1024 && sizeof(FreeBlock) <= kSmallest);

    // Powers of two from 16 B: the index of the smallest class that holds `size`.
    static size_t classOf(size_t size) { return size <= kSmallest ? 0 : size_t(std::bit_width(size - 1)) - 4; }
    static Header* headerOf(void* block) { return static_cast<Header*>(block) - 1; }

    void* fromSystem(size_t capacity)
    {
        auto* header = static_cast<Header*>(std::malloc(sizeof(Header) + capacity));
        if (header == nullptr) {
            return nullptr;
        }
        ++systemAllocations_;
        header->capacity = capacity;
        return header + 1;
    }

    static void* mallocHook(size_t size, void* pool) { return static_cast<PoolAllocator*>(pool)->allocate(size); }
    static void freeHook(void* block, void* pool) { static_cast<PoolAllocator*>(pool)->release(block); }
    static void* callocHook(size_t count, size_t size, void* pool)
    {
        if (size != 0 && count > SIZE_MAX / size) {
            return nullptr;
        }
        void* block = static_cast<PoolAllocator*>(pool)->allocate(count * size);
        if (block != nullptr) {
            std::memset(block, 0, count * size); // a reused block holds its last user's bytes
        }
        return block;
    }
    static void* reallocHook(void* block, size_t size, void* pool)
    {
        return static_cast<PoolAllocator*>(pool)->reallocate(block, size);
    }

    nghttp2_mem mem_;
    std::array<FreeBlock*, kClasses> free_{};
    uint64_t systemAllocations_ = 0;
};

} // namespace benchdeck::engine
