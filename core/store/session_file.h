// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "run_record.h"
#include "session_content.h"
#include "sqlite_handle.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace benchdeck::store {

enum class OpenMode {
    ReadOnly,     // never writes, never recovers: for listing, reports, a file another process records into
    ReadWrite,    // the file must exist
    CreateOrOpen, // creates an empty session when missing
};

// One `.benchdeck` session: an SQLite database recognised by its application id, migrated forward on
// open, and shared safely between processes. A file that is not a session, is damaged, or comes from
// a newer Benchdeck is refused with a one-line reason before SQLite may write a single byte to it.
class SessionFile {
public:
    static std::unique_ptr<SessionFile> open(const std::string& path, OpenMode mode, std::string* error);
    ~SessionFile();
    SessionFile(const SessionFile&) = delete;
    SessionFile& operator=(const SessionFile&) = delete;

    const std::string& path() const { return path_; }
    bool readOnly() const { return readOnly_; }
    int schemaVersion() const { return schemaVersion_; }
    // How many runs this open turned from `running` into `interrupted` (their writer had died).
    int interruptedOnOpen() const { return interruptedOnOpen_; }
    // Where this open copied the file before upgrading its schema; empty when it did not.
    const std::string& migrationBackup() const { return migratedBackup_; }

    std::vector<RunListing> listRuns(std::string* error) const;
    std::optional<StoredRun> loadRun(int64_t id, std::string* error) const;

    // Run management (run_management.cpp). A deleted run disappears from every list and load at once
    // and stays in the file, restorable, until this session is closed: then it is removed for good.
    bool setRunLabel(int64_t id, const std::string& label, std::string* error);
    bool setRunNote(int64_t id, const std::string& note, std::string* error);
    // Marks one run as the baseline (0: none); the previous baseline stops being one.
    bool setBaselineRun(int64_t id, std::string* error);
    bool deleteRun(int64_t id, std::string* error);
    bool restoreRun(int64_t id, std::string* error);

    // Recording, in the order a run happens. Each call is one transaction.
    std::optional<int64_t> beginRun(const engine::RunConfig& config, bool keepSecrets, std::string* error);
    bool appendInterval(int64_t runId, const metrics::IntervalRecord& interval, const std::string& latencyBlob,
                        std::string* error);
    bool finishRun(int64_t runId, const metrics::RunResult& result, std::string* error);

    // What the session is about: candidates, their targets, load profiles. save*() inserts when the id
    // is 0 (and sets it) or updates; each returns false with a one-line reason.
    std::vector<Candidate> candidates(std::string* error) const;
    bool saveCandidate(Candidate& candidate, std::string* error);
    bool removeCandidate(int64_t id, std::string* error);
    std::vector<Target> targets(std::string* error) const;
    bool saveTarget(Target& target, bool keepSecrets, std::string* error);
    bool removeTarget(int64_t id, std::string* error);
    std::vector<Profile> profiles(std::string* error) const;
    bool saveProfile(Profile& profile, std::string* error);
    bool removeProfile(int64_t id, std::string* error);
    // Links a recorded run to the target and profile it was made from (for the decision table).
    bool attachRun(int64_t runId, int64_t targetId, int64_t profileId, std::string* error);
    int64_t runTarget(int64_t runId) const;

    // The decision table's needs, criteria and weights (one JSON document), and the users' scores.
    QJsonObject decisionModel() const;
    bool saveDecisionModel(const QJsonObject& model, std::string* error);
    std::vector<Score> scores(std::string* error) const;
    bool saveScores(const std::vector<Score>& scores, std::string* error);

    // Whatever the UI wants to find again next time: selected runs, chart options, splitter sizes.
    QJsonValue uiState(const std::string& key) const;
    bool saveUiState(const std::string& key, const QJsonValue& value, std::string* error);

    // Copies the whole session, consistently, through SQLite's online backup API.
    bool saveAs(const std::string& destination, std::string* error) const;

private:
    SessionFile() = default;
    bool initialise(OpenMode mode, bool created, std::string* error);
    std::string statusAsRead(const std::string& stored) const;
    void purgeDeletedRuns();

    std::string path_;
    Database db_;
    int lockFd_ = -1;
    bool readOnly_ = false;
    int schemaVersion_ = 0;
    int interruptedOnOpen_ = 0;
    std::string migratedBackup_;
};

// Saves a copy of `session` at `destination` (Save As): written beside it, then renamed over it, so a
// failed copy never costs the file that was there. The session's own file is refused.
bool saveCopyReplacing(const SessionFile& session, const std::string& destination, std::string* error);

// Checks the 100-byte SQLite header without opening the database: the reason a file cannot be a
// session, or nothing. Reading the header never changes the file.
std::optional<std::string> checkSessionHeader(const std::string& path);

} // namespace benchdeck::store
