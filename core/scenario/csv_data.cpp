// SPDX-License-Identifier: Apache-2.0
#include "csv_data.h"
#include "request_template.h"

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <system_error>
#include <utility>

namespace benchdeck::scenario {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Built by appending: GCC 12 warns falsely (-Wrestrict) on `"literal" + std::string&&`.
std::string cat(std::initializer_list<std::string_view> parts)
{
    std::string out;
    for (std::string_view part : parts) {
        out.append(part);
    }
    return out;
}

std::string linePrefix(size_t line)
{
    return cat({"line ", std::to_string(line), ": "});
}

struct Record {
    std::vector<std::string> fields;
    size_t line = 0;    // the physical line the record starts on
    bool blank = false; // nothing at all before its line end: not a record, only an empty line
};

enum class ReadStatus { Record, End, Malformed };

// Splits the text into records one at a time, counting physical lines as it goes so that errors can
// point at the line an editor shows, even when quoted fields span several.
class RecordReader {
public:
    explicit RecordReader(std::string_view text)
        : text_(text)
    {
    }

    ReadStatus next(Record& record, std::string& error)
    {
        if (atEnd()) {
            return ReadStatus::End;
        }
        record = Record{};
        record.line = line_;
        if (consumeLineEnd()) {
            record.blank = true;
            return ReadStatus::Record;
        }
        for (;;) {
            std::string field;
            if (text_[pos_] == '"') {
                if (!readQuoted(field, error)) {
                    return ReadStatus::Malformed;
                }
                if (!atEnd() && text_[pos_] != ',' && !isLineEnd(text_[pos_])) {
                    error = cat({linePrefix(line_), "text after the closing quote of field ",
                                 std::to_string(record.fields.size() + 1),
                                 " (a quote inside a quoted field is written \"\")"});
                    return ReadStatus::Malformed;
                }
            } else {
                // A quote inside an unquoted field is kept as a character (5" screen): RFC 4180 does
                // not allow it, but spreadsheets write it and refusing the file would help no one.
                const size_t end = std::min(text_.find_first_of(",\r\n", pos_), text_.size());
                field.assign(text_.substr(pos_, end - pos_));
                pos_ = end;
            }
            record.fields.push_back(std::move(field));
            if (atEnd()) {
                return ReadStatus::Record; // the final line end is optional
            }
            if (text_[pos_] != ',') {
                consumeLineEnd();
                return ReadStatus::Record;
            }
            ++pos_;
            if (atEnd()) {
                record.fields.emplace_back(); // "a,b," at the very end: the last field is empty
                return ReadStatus::Record;
            }
        }
    }

private:
    static bool isLineEnd(char c) { return c == '\r' || c == '\n'; }
    bool atEnd() const { return pos_ >= text_.size(); }

    // CRLF, LF or a lone CR at pos_: consumed and counted.
    bool consumeLineEnd()
    {
        if (atEnd() || !isLineEnd(text_[pos_])) {
            return false;
        }
        if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') {
            ++pos_;
        }
        ++pos_;
        ++line_;
        return true;
    }

    // From the opening quote at pos_ to just past the closing one. Line ends inside are part of the
    // value, kept as written.
    bool readQuoted(std::string& field, std::string& error)
    {
        const size_t openedOn = line_;
        ++pos_;
        for (;;) {
            if (atEnd()) {
                error = cat({linePrefix(openedOn), "unterminated quoted field (its opening quote is never closed)"});
                return false;
            }
            const char c = text_[pos_];
            if (c == '"') {
                if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
                    field += '"';
                    pos_ += 2;
                    continue;
                }
                ++pos_;
                return true;
            }
            const bool crOfCrLf = c == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n';
            if (c == '\n' || (c == '\r' && !crOfCrLf)) {
                ++line_;
            }
            field += c;
            ++pos_;
        }
    }

    std::string_view text_;
    size_t pos_ = 0;
    size_t line_ = 1;
};

std::string_view trimSpaces(std::string_view s)
{
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string_view::npos) {
        return {};
    }
    return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

std::optional<std::vector<std::string>> headerColumns(const Record& header, std::string& error)
{
    std::vector<std::string> columns;
    columns.reserve(header.fields.size());
    for (size_t i = 0; i < header.fields.size(); ++i) {
        const std::string column = cat({"column ", std::to_string(i + 1)});
        const std::string_view name = trimSpaces(header.fields[i]);
        if (name.empty()) {
            error = cat({linePrefix(header.line), column, " has no name"});
            return std::nullopt;
        }
        if (!isVariableName(name)) {
            error = cat({linePrefix(header.line), column, " is named '", name,
                         "', which is not a variable name (a letter or _ first, then letters, digits, _ . -)"});
            return std::nullopt;
        }
        for (size_t j = 0; j < columns.size(); ++j) {
            if (columns[j] == name) {
                error = cat({linePrefix(header.line), column, " repeats the name '", columns[j], "' of column ",
                             std::to_string(j + 1)});
                return std::nullopt;
            }
        }
        columns.emplace_back(name);
    }
    return columns;
}

std::string fieldCount(size_t n)
{
    return cat({std::to_string(n), n == 1 ? " field" : " fields"});
}

} // namespace

std::optional<CsvTable> parseCsv(std::string_view text, std::string* error)
{
    auto fail = [&](std::string message) -> std::optional<CsvTable> {
        if (error) {
            *error = std::move(message);
        }
        return std::nullopt;
    };
    if (text.starts_with(kUtf8Bom)) {
        text.remove_prefix(kUtf8Bom.size());
    }

    RecordReader reader(text);
    std::optional<CsvTable> table;
    std::optional<size_t> firstEmptyLine; // since the last record: harmless only if nothing follows
    Record record;
    std::string message;
    for (;;) {
        const ReadStatus status = reader.next(record, message);
        if (status == ReadStatus::Malformed) {
            return fail(std::move(message));
        }
        if (status == ReadStatus::End) {
            break;
        }
        if (record.blank) {
            firstEmptyLine = firstEmptyLine.value_or(record.line);
            continue;
        }
        if (firstEmptyLine) {
            // Silently skipping it could shift which row an iteration gets; a row with one empty
            // value is written "".
            return fail(
                cat({linePrefix(*firstEmptyLine), "empty line; only the end of the file may have empty lines"}));
        }
        if (!table) {
            auto columns = headerColumns(record, message);
            if (!columns) {
                return fail(std::move(message));
            }
            table.emplace();
            table->columns = std::move(*columns);
            continue;
        }
        if (record.fields.size() != table->columns.size()) {
            return fail(cat({linePrefix(record.line), fieldCount(record.fields.size()), ", the header has ",
                             std::to_string(table->columns.size())}));
        }
        table->rows.push_back(std::move(record.fields));
    }

    if (!table) {
        return fail("no data rows: the file is empty");
    }
    if (table->rows.empty()) {
        return fail("no data rows: the file has only the header");
    }
    return table;
}

std::optional<CsvTable> loadCsvFile(const std::string& path, std::string* error)
{
    auto cannotRead = [&](std::error_code reason) -> std::optional<CsvTable> {
        if (error) {
            *error = cat({"cannot read ", path, ": ", reason.message()});
        }
        return std::nullopt;
    };
    // An ifstream opens a directory without complaint and then reads nothing, which would surface
    // as the misleading "the file is empty".
    std::error_code statError;
    if (std::filesystem::is_directory(path, statError)) {
        return cannotRead(std::make_error_code(std::errc::is_a_directory));
    }
    errno = 0;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return cannotRead(std::error_code(errno != 0 ? errno : EIO, std::generic_category()));
    }
    std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad()) {
        return cannotRead(std::error_code(errno != 0 ? errno : EIO, std::generic_category()));
    }
    std::string message;
    auto table = parseCsv(text, &message);
    if (!table && error) {
        *error = cat({path, ": ", message});
    }
    return table;
}

FeederCursor::FeederCursor(FeederMode mode, size_t rowCount)
    : mode_(mode)
    , rowCount_(rowCount)
{
}

std::optional<size_t> FeederCursor::next(FeederRng& rng)
{
    if (rowCount_ == 0) {
        return std::nullopt;
    }
    // Relaxed: the counter only hands out distinct numbers; the rows themselves were written before
    // the workers started and are never written again.
    switch (mode_) {
    case FeederMode::Sequential:
        return size_t(drawn_.fetch_add(1, std::memory_order_relaxed) % rowCount_);
    case FeederMode::Unique: {
        // Once past the end the counter keeps growing, harmlessly: 2^64 draws will not happen.
        const uint64_t ticket = drawn_.fetch_add(1, std::memory_order_relaxed);
        if (ticket >= rowCount_) {
            return std::nullopt;
        }
        return size_t(ticket);
    }
    case FeederMode::Random:
        return std::uniform_int_distribution<size_t>(0, rowCount_ - 1)(rng);
    }
    return std::nullopt;
}

} // namespace benchdeck::scenario
