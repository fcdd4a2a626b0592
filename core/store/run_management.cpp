// SPDX-License-Identifier: Apache-2.0
// What a user does to recorded runs: name them, annotate them, pick a baseline, delete with undo.
#include "session_file.h"

namespace benchdeck::store {
namespace {

// One UPDATE of one live run; "no run N" when it does not exist or was deleted.
bool updateRun(sqlite3* db, const std::string& path, const char* sql, int64_t id, const std::string* text,
               std::string* error)
{
    Statement statement(db, sql);
    statement.bind(1, id);
    if (text) {
        statement.bind(2, *text);
    }
    if (!statement.run()) {
        *error = sqlite3_errmsg(db);
        return false;
    }
    if (sqlite3_changes(db) == 0) {
        *error = "no run " + std::to_string(id) + " in '" + path + "'";
        return false;
    }
    return true;
}

} // namespace

bool SessionFile::setRunLabel(int64_t id, const std::string& label, std::string* error)
{
    return updateRun(db_.get(), path_, "UPDATE runs SET label = ?2 WHERE id = ?1 AND deleted_at IS NULL", id, &label,
                     error);
}

bool SessionFile::setRunNote(int64_t id, const std::string& note, std::string* error)
{
    return updateRun(db_.get(), path_, "UPDATE runs SET note = ?2 WHERE id = ?1 AND deleted_at IS NULL", id, &note,
                     error);
}

bool SessionFile::setBaselineRun(int64_t id, std::string* error)
{
    Transaction transaction(db_.get());
    if (!execute(db_.get(), "UPDATE runs SET baseline = 0 WHERE baseline != 0", error)) {
        return false;
    }
    if (id != 0 &&
        !updateRun(db_.get(), path_, "UPDATE runs SET baseline = 1 WHERE id = ?1 AND deleted_at IS NULL", id, nullptr,
                   error)) {
        return false;
    }
    return transaction.commit(error);
}

bool SessionFile::deleteRun(int64_t id, std::string* error)
{
    return updateRun(db_.get(), path_,
                     "UPDATE runs SET deleted_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
                     "WHERE id = ?1 AND deleted_at IS NULL",
                     id, nullptr, error);
}

bool SessionFile::restoreRun(int64_t id, std::string* error)
{
    return updateRun(db_.get(), path_, "UPDATE runs SET deleted_at = NULL WHERE id = ?1 AND deleted_at IS NOT NULL",
                     id, nullptr, error);
}

void SessionFile::purgeDeletedRuns()
{
    // ui_state holds each value as a one-element array (saveUiState). Run ids are reused once the highest is gone (no AUTOINCREMENT): the decision table must not
    // go on weighing a later run under a deleted one's id. Series, histograms and samples follow
    // through ON DELETE CASCADE.
    execute(db_.get(), R"SQL(
        UPDATE ui_state SET value_json = json_array(json((
            SELECT json_group_array(value) FROM json_each(ui_state.value_json, '$[0]')
            WHERE value NOT IN (SELECT id FROM runs WHERE deleted_at IS NOT NULL))))
        WHERE key = 'decision_runs' AND json_valid(value_json) AND json_type(value_json, '$[0]') = 'array';
        DELETE FROM runs WHERE deleted_at IS NOT NULL;)SQL",
            nullptr);
}

} // namespace benchdeck::store
