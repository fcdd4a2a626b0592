// SPDX-License-Identifier: Apache-2.0
#pragma once

// The rows behind a data feeder (scenario.h, Feeder): a CSV file read once before the run, and the
// cursor that hands its rows to iterations while the run goes on.
//
// What happens when a feeder reaches the end of its rows depends on its mode:
//   Sequential - wraps: after the last row comes the first again, for as long as the run lasts.
//   Random     - never ends: every iteration draws a row uniformly, repeats included.
//   Unique     - ends: once every row has been handed out, next() returns std::nullopt to every
//                caller, and the engine ends the run ("feeder X ran out of unique rows after N
//                iterations", N being the row count), because reusing a row would break the
//                promise that each row (a one-time token, a fresh account) is used exactly once.

#include "scenario.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace benchdeck::scenario {

// A parsed CSV: the header's names (each usable as {{name}} in templates) and the data rows, every
// row exactly as wide as the header.
struct CsvTable {
    std::vector<std::string> columns;
    std::vector<std::vector<std::string>> rows;
};

// RFC 4180 text: comma-separated, fields optionally in double quotes ("" inside quotes is a quote;
// quoted fields may hold commas and line breaks), CRLF or LF line ends (a lone CR counts as one too),
// an optional UTF-8 BOM and an optional final line end. Empty lines are allowed only at the end.
// Header names are trimmed of surrounding spaces and must be unique variable names
// ([A-Za-z_][A-Za-z0-9_.-]*). Data fields are kept exactly as written, spaces included.
// Errors name the physical line (1-based) where the offending row or quote starts:
// "line 7: 3 fields, the header has 4".
std::optional<CsvTable> parseCsv(std::string_view text, std::string* error);

// parseCsv() on a file's bytes. Errors: "cannot read FILE: <reason>", or parseCsv()'s message
// prefixed with the path ("data/users.csv: line 7: ...") so it can be told apart from other feeders'.
std::optional<CsvTable> loadCsvFile(const std::string& path, std::string* error);

// The per-worker random engine a Random feeder draws with: each worker owns one, so drawing takes
// no lock and no cache line is shared between workers.
using FeederRng = std::mt19937_64;

// Which row the next iteration gets, for one feeder of one run. One cursor is shared by all worker
// threads of the run; next() is lock-free and allocates nothing, so it can sit on the request path.
// See the top of this file for what each mode does at the end of the rows.
class FeederCursor {
public:
    FeederCursor(FeederMode mode, size_t rowCount);

    FeederCursor(const FeederCursor&) = delete;
    FeederCursor& operator=(const FeederCursor&) = delete;

    // The row index for the calling iteration, or std::nullopt when a Unique feeder has handed out
    // every row (or the table has no rows at all). `rng` is the calling worker's own engine; only
    // Random reads it.
    std::optional<size_t> next(FeederRng& rng);

    FeederMode mode() const { return mode_; }
    size_t rowCount() const { return rowCount_; }

private:
    static_assert(std::atomic<uint64_t>::is_always_lock_free, "feeder cursors must not take a lock");

    FeederMode mode_;
    size_t rowCount_;
    // On its own cache line: every worker writes it, and mode_/rowCount_, read on every call, should
    // not be invalidated along with it.
    alignas(64) std::atomic<uint64_t> drawn_{0};
};

} // namespace benchdeck::scenario
