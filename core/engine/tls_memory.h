// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace benchdeck::engine {

// Whether OpenSSL allocates its small blocks from Benchdeck's per-thread cache (tls_memory.cpp), which
// keeps the TLS path allocation-free per request; false when OpenSSL had allocated before main().
bool tlsSmallBlockCacheInstalled();

} // namespace benchdeck::engine
