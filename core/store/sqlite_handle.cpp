// SPDX-License-Identifier: Apache-2.0
#include "sqlite_handle.h"

namespace benchdeck::store {

Statement::Statement(sqlite3* db, std::string_view sql)
{
    sqlite3_prepare_v2(db, sql.data(), int(sql.size()), &statement_, nullptr);
}

Statement& Statement::bind(int index, int64_t value)
{
    sqlite3_bind_int64(statement_, index, value);
    return *this;
}

Statement& Statement::bind(int index, double value)
{
    sqlite3_bind_double(statement_, index, value);
    return *this;
}

Statement& Statement::bind(int index, std::string_view text)
{
    sqlite3_bind_text(statement_, index, text.data(), int(text.size()), SQLITE_TRANSIENT);
    return *this;
}

Statement& Statement::bindBlob(int index, std::string_view bytes)
{
    sqlite3_bind_blob(statement_, index, bytes.data(), int(bytes.size()), SQLITE_TRANSIENT);
    return *this;
}

Statement& Statement::bindNull(int index)
{
    sqlite3_bind_null(statement_, index);
    return *this;
}

std::string Statement::text(int column) const
{
    const auto* bytes = sqlite3_column_text(statement_, column);
    return bytes ? std::string(reinterpret_cast<const char*>(bytes), size_t(sqlite3_column_bytes(statement_, column)))
                 : std::string();
}

std::span<const unsigned char> Statement::blob(int column) const
{
    const auto* bytes = static_cast<const unsigned char*>(sqlite3_column_blob(statement_, column));
    return {bytes, bytes ? size_t(sqlite3_column_bytes(statement_, column)) : 0};
}

bool execute(sqlite3* db, const char* sql, std::string* error)
{
    char* message = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &message) == SQLITE_OK) {
        return true;
    }
    if (error) {
        *error = message ? message : sqlite3_errmsg(db);
    }
    sqlite3_free(message);
    return false;
}

Transaction::Transaction(sqlite3* db)
    : db_(db)
    , open_(execute(db, "BEGIN IMMEDIATE", nullptr))
{
}

Transaction::~Transaction()
{
    if (open_) {
        execute(db_, "ROLLBACK", nullptr);
    }
}

bool Transaction::commit(std::string* error)
{
    if (!open_) {
        if (error) {
            *error = sqlite3_errmsg(db_);
        }
        return false;
    }
    open_ = false;
    return execute(db_, "COMMIT", error);
}

} // namespace benchdeck::store
