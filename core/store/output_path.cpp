// SPDX-License-Identifier: Apache-2.0
#include "output_path.h"

#include <sys/stat.h>

#include <cstring>
#include <filesystem>
#include <fstream>

namespace benchdeck::store {
namespace {

bool isSqliteFile(const std::string& path)
{
    std::ifstream file(path, std::ios::binary);
    char magic[16] = {};
    file.read(magic, sizeof magic);
    return file.gcount() == sizeof magic && std::memcmp(magic, "SQLite format 3", sizeof magic) == 0;
}

} // namespace

std::optional<std::string> checkOutputPath(const std::string& path, std::span<const std::string> inputs,
                                           bool force, const std::string& option)
{
    const std::string quoted = option + ": '" + path + "'";
    // The same path, whether it exists yet or not (a session created by this very command).
    std::error_code ignored;
    const auto canonicalOut = std::filesystem::weakly_canonical(path, ignored);
    for (const auto& input : inputs) {
        if (std::filesystem::weakly_canonical(input, ignored) == canonicalOut) {
            return quoted + " is also a file this command reads or records into: refusing to write over it";
        }
    }
    struct stat out {};
    if (::stat(path.c_str(), &out) != 0) {
        return std::nullopt; // a new file: nothing to lose
    }
    if (S_ISDIR(out.st_mode)) {
        return quoted + " is a folder, not a file name";
    }
    for (const auto& input : inputs) {
        struct stat in {};
        if (::stat(input.c_str(), &in) == 0 && in.st_dev == out.st_dev && in.st_ino == out.st_ino) {
            return quoted + " is the file being read: refusing to write over it";
        }
    }
    if (isSqliteFile(path)) {
        return quoted + " is an SQLite database (a Benchdeck session?): refusing to write over it, even with --force";
    }
    if (!S_ISREG(out.st_mode)) {
        return quoted + " is not a regular file";
    }
    if (!force) {
        return quoted + " exists: pass --force to replace it";
    }
    return std::nullopt;
}

} // namespace benchdeck::store
