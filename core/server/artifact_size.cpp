// SPDX-License-Identifier: Apache-2.0
#include "artifact_size.h"

#include <sys/stat.h>

#include <filesystem>
#include <set>

namespace benchdeck::server {
namespace {

// A session file names these paths: one that points at "/" must not keep a run's thread walking the
// whole disk. A deployable artifact with more entries than this is not one.
constexpr uint64_t kMaxEntries = 200'000;

} // namespace

std::optional<uint64_t> artifactBytes(std::span<const std::string> paths, std::string* error)
{
    namespace fs = std::filesystem;
    std::set<std::pair<uint64_t, uint64_t>> seen; // (device, inode): hard links and overlapping paths count once
    uint64_t total = 0;
    uint64_t entries = 0;
    const auto count = [&](const fs::path& path) {
        ++entries;
        struct stat info {};
        if (::lstat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
            seen.emplace(uint64_t(info.st_dev), uint64_t(info.st_ino)).second) {
            total += uint64_t(info.st_size);
        }
    };
    for (const auto& text : paths) {
        std::error_code failure;
        const fs::path path(text);
        const auto status = fs::symlink_status(path, failure);
        if (failure || !fs::exists(status)) {
            *error = "artifact '" + text + "' not found";
            return std::nullopt;
        }
        if (fs::is_directory(status)) {
            for (fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, failure), end;
                 !failure && it != end; it.increment(failure)) {
                count(it->path());
                if (entries > kMaxEntries) {
                    *error = "artifact '" + text + "' holds more than " + std::to_string(kMaxEntries) +
                             " files: not measured";
                    return std::nullopt;
                }
            }
        } else {
            count(path);
        }
        if (failure) {
            *error = "artifact '" + text + "': " + failure.message();
            return std::nullopt;
        }
    }
    return total;
}

} // namespace benchdeck::server
