// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <span>

namespace benchdeck::store {

// "BDK1" in the SQLite header: how a session file is told from any other SQLite database.
inline constexpr uint32_t kApplicationId = 0x42444B31;
// The schema this build writes. Every version has a migration from the one before it.
inline constexpr int kSchemaVersion = 6;

struct Migration {
    int toVersion;
    const char* sql;
};

// Creates the current schema in an empty database.
const char* currentSchemaSql();
// Forward steps from older schemas, in order.
std::span<const Migration> migrations();

} // namespace benchdeck::store
