// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace benchdeck::server {

// The bytes a server is deployed as: the sum of the regular files at `paths` (files, or folders walked
// recursively), each counted once. Symbolic links are not followed, so a link into a shared folder is
// not counted as the folder. Null, with the first path that cannot be read, when any is missing or
// when they hold more than 200,000 entries (a session naming "/" must not stall a run).
std::optional<uint64_t> artifactBytes(std::span<const std::string> paths, std::string* error);

} // namespace benchdeck::server
