// SPDX-License-Identifier: Apache-2.0
#include "session_file.h"
#include "scenario_results.h"
#include "engine/target_url.h"
#include "plan/plan_codec.h"

#include "metrics/histogram_codec.h"
#include "schema.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace benchdeck::store {
namespace {

using metrics::ErrorKind;

constexpr std::string_view kSqliteMagic{"SQLite format 3\0", 16};

uint32_t bigEndian32(const unsigned char* p)
{
    return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

std::string isoTime(std::chrono::system_clock::time_point t)
{
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs).toStdString();
}

std::chrono::system_clock::time_point parseIsoTime(const std::string& text)
{
    const auto dt = QDateTime::fromString(QString::fromStdString(text), Qt::ISODateWithMs);
    return std::chrono::system_clock::time_point(std::chrono::milliseconds(dt.toMSecsSinceEpoch()));
}

std::string folderOf(const std::string& path)
{
    const auto slash = path.find_last_of('/');
    return slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
}

// Root ignores permission bits, so a file or folder the user marked read-only is checked by its
// mode too: the user's intent holds even when the kernel would let us write.
bool writable(const std::string& path)
{
    struct stat info {};
    return ::stat(path.c_str(), &info) == 0 && (info.st_mode & 0222) != 0 && ::access(path.c_str(), W_OK) == 0;
}

std::string sqliteError(sqlite3* db)
{
    return sqlite3_errmsg(db);
}

// The server's summary figures as kept under "server" in run_summaries.generator_json.
QJsonObject serverSummaryToJson(const metrics::ServerStats& server)
{
    return QJsonObject{{QStringLiteral("source"), QString::fromStdString(server.source)},
                       {QStringLiteral("peak_rss_mb"), server.peakRssMb},
                       {QStringLiteral("mean_rss_mb"), server.meanRssMb},
                       {QStringLiteral("cpu_percent"), server.cpuPercent},
                       {QStringLiteral("cpu_us_per_request"), server.cpuMicrosPerRequest},
                       {QStringLiteral("cold_start_ms"), server.coldStartMs},
                       {QStringLiteral("artifact_mb"), server.artifactMb}};
}

metrics::ServerStats serverSummaryFromJson(const QJsonObject& object)
{
    metrics::ServerStats server;
    if (object.isEmpty()) {
        return server;
    }
    server.measured = true;
    server.source = object.value(QStringLiteral("source")).toString().toStdString();
    server.peakRssMb = object.value(QStringLiteral("peak_rss_mb")).toDouble();
    server.meanRssMb = object.value(QStringLiteral("mean_rss_mb")).toDouble();
    server.cpuPercent = object.value(QStringLiteral("cpu_percent")).toDouble();
    server.cpuMicrosPerRequest = object.value(QStringLiteral("cpu_us_per_request")).toDouble();
    server.coldStartMs = std::max(0.0, object.value(QStringLiteral("cold_start_ms")).toDouble());
    server.artifactMb = std::max(0.0, object.value(QStringLiteral("artifact_mb")).toDouble());
    return server;
}

// The open model's schedule figures as kept in run_summaries.schedule_json (schema 3); "{}" for a
// closed-model run or a run stored before schema 3.
QJsonObject scheduleToJson(const metrics::ScheduleStats& schedule)
{
    if (!schedule.openModel) {
        return {};
    }
    return QJsonObject{{QStringLiteral("target_rate"), schedule.targetRate},
                       {QStringLiteral("achieved_rate"), schedule.achievedRate},
                       {QStringLiteral("late_sends"), double(schedule.lateSends)},
                       {QStringLiteral("mean_late_ms"), schedule.meanLateMs},
                       {QStringLiteral("max_late_ms"), schedule.maxLateMs}};
}

metrics::ScheduleStats scheduleFromJson(const QJsonObject& object)
{
    metrics::ScheduleStats schedule;
    if (object.isEmpty()) {
        return schedule;
    }
    const auto count = [&](const char* key) {
        const double value = object.value(QLatin1String(key)).toDouble();
        return value > 0 && value < 9e18 ? uint64_t(value) : uint64_t(0);
    };
    schedule.openModel = true;
    schedule.targetRate = object.value(QStringLiteral("target_rate")).toDouble();
    schedule.achievedRate = object.value(QStringLiteral("achieved_rate")).toDouble();
    schedule.lateSends = count("late_sends");
    schedule.meanLateMs = object.value(QStringLiteral("mean_late_ms")).toDouble();
    schedule.maxLateMs = object.value(QStringLiteral("max_late_ms")).toDouble();
    return schedule;
}

// Whether some process holds the session open for writing (each writer holds a shared flock on it).
// Tested with an exclusive lock taken and dropped at once, so a reader changes nothing.
bool writerAlive(const std::string& path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return true; // cannot tell: assume a live writer, so nothing is called interrupted wrongly
    }
    const bool locked = flock(fd, LOCK_EX | LOCK_NB) == 0;
    ::close(fd);
    return !locked;
}

// Beside the session, never over an earlier backup: "s.benchdeck.schema-1.bak", then ".2.bak", ...
std::string backupPathFor(const std::string& path, int version)
{
    const std::string base = path + ".schema-" + std::to_string(version);
    std::string candidate = base + ".bak";
    for (int n = 2; ::access(candidate.c_str(), F_OK) == 0; ++n) {
        candidate = base + "." + std::to_string(n) + ".bak";
    }
    return candidate;
}

} // namespace

std::optional<std::string> checkSessionHeader(const std::string& path)
{
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        return "cannot read '" + path + "': " + std::strerror(errno);
    }
    std::array<unsigned char, 100> header{};
    file.read(reinterpret_cast<char*>(header.data()), header.size());
    if (file.gcount() == 0) {
        return "'" + path + "' is empty, not a Benchdeck session";
    }
    if (file.gcount() < 100 || std::memcmp(header.data(), kSqliteMagic.data(), kSqliteMagic.size()) != 0) {
        return "'" + path + "' is not a Benchdeck session (not an SQLite database)";
    }
    if (bigEndian32(&header[68]) != kApplicationId) {
        return "'" + path + "' is an SQLite database but not a Benchdeck session";
    }
    const auto version = int(bigEndian32(&header[60]));
    if (version > kSchemaVersion) {
        return "'" + path + "' was written by a newer Benchdeck (session schema " + std::to_string(version) +
               "; this build reads up to " + std::to_string(kSchemaVersion) + ")";
    }
    // Page size (1 means 65536) times page count must fit in the file, or pages were lost.
    const uint32_t pageSize = (uint32_t(header[16]) << 8 | header[17]) == 1 ? 65536u : (uint32_t(header[16]) << 8 | header[17]);
    const uint32_t pageCount = bigEndian32(&header[28]);
    file.seekg(0, std::ios::end);
    const auto size = uint64_t(file.tellg());
    const bool walMode = header[18] == 2;
    if (pageSize == 0 || (!walMode && uint64_t(pageSize) * pageCount > size) || size % pageSize != 0) {
        return "'" + path + "' is a damaged Benchdeck session (truncated: " + std::to_string(size) + " bytes for " +
               std::to_string(pageCount) + " pages of " + std::to_string(pageSize) + ")";
    }
    return std::nullopt;
}

std::unique_ptr<SessionFile> SessionFile::open(const std::string& path, OpenMode mode, std::string* error)
{
    std::unique_ptr<SessionFile> session(new SessionFile());
    session->path_ = path;
    struct stat info {};
    const bool exists = ::stat(path.c_str(), &info) == 0;
    if (exists && S_ISDIR(info.st_mode)) {
        *error = "'" + path + "' is a folder, not a session file";
        return nullptr;
    }
    if (!exists && mode != OpenMode::CreateOrOpen) {
        *error = "no session file at '" + path + "'";
        return nullptr;
    }
    if (exists) {
        if (auto problem = checkSessionHeader(path)) {
            *error = *problem;
            return nullptr;
        }
    }
    const std::string folder = folderOf(path);
    if (!exists && ::access(folder.c_str(), F_OK) != 0) {
        *error = "cannot create '" + path + "': the folder '" + folder + "' does not exist";
        return nullptr;
    }
    if (!exists && !writable(folder)) {
        *error = "cannot create '" + path + "': the folder is read-only";
        return nullptr;
    }
    const bool wantsWrite = mode != OpenMode::ReadOnly;
    if (wantsWrite && exists && (!writable(path) || !writable(folder))) {
        *error = "'" + path + "' is read-only (" + (writable(path) ? "its folder" : "the file") +
                 " cannot be written): open it read-only or copy it elsewhere";
        return nullptr;
    }
    session->readOnly_ = !wantsWrite;
    sqlite3* raw = nullptr;
    const int flags = wantsWrite ? (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) : SQLITE_OPEN_READONLY;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    session->db_.reset(raw);
    if (rc != SQLITE_OK) {
        *error = "cannot open '" + path + "': " + (raw ? sqliteError(raw) : std::string(sqlite3_errstr(rc)));
        return nullptr;
    }
    sqlite3_busy_timeout(raw, 5000);
    if (!session->initialise(mode, !exists, error)) {
        return nullptr;
    }
    return session;
}

bool SessionFile::initialise(OpenMode mode, bool created, std::string* error)
{
    sqlite3* db = db_.get();
    if (created) {
        Transaction transaction(db);
        const std::string pragmas = "PRAGMA application_id = " + std::to_string(kApplicationId) +
                                    "; PRAGMA user_version = " + std::to_string(kSchemaVersion) + ";";
        if (!execute(db, currentSchemaSql(), error) || !execute(db, pragmas.c_str(), error)) {
            return false;
        }
        Statement meta(db, "INSERT INTO meta(key, value) VALUES ('created_by', ?1), ('created_at', ?2)");
        meta.bind(1, std::string("Benchdeck " BENCHDECK_VERSION))
            .bind(2, isoTime(std::chrono::system_clock::now()));
        if (!meta.run() || !transaction.commit(error)) {
            return false;
        }
    }
    {
        Statement check(db, "PRAGMA quick_check");
        const int rc = check.step();
        if (rc != SQLITE_ROW || check.text(0) != "ok") {
            // quick_check lists every problem on lines of its own: the first says enough, in one line.
            std::string first = rc == SQLITE_ROW ? check.text(0) : sqliteError(db);
            first = first.substr(0, first.find('\n'));
            int more = 0;
            while (rc == SQLITE_ROW && check.step() == SQLITE_ROW) {
                ++more;
            }
            *error = "'" + path_ + "' is a damaged Benchdeck session (" + first +
                     (more ? ", and " + std::to_string(more) + " more problem" + (more > 1 ? "s" : "") : "") + ")";
            return false;
        }
    }
    {
        Statement version(db, "PRAGMA user_version");
        schemaVersion_ = version.step() == SQLITE_ROW ? int(version.integer(0)) : 0;
    }
    if (!created) {
        // The right application id says nothing about the tables: a crafted or half-written file is
        // refused before anything (a migration, a recovery) writes to it.
        Statement tables(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                             "('meta', 'candidates', 'targets', 'profiles', 'runs', 'run_summaries', 'run_series', "
                             "'run_histograms', 'run_status_codes', 'run_error_kinds', 'server_samples', "
                             "'decision_settings', 'decision_scores', 'ui_state')");
        if (schemaVersion_ < 1 || tables.step() != SQLITE_ROW || tables.integer(0) != 14) {
            *error = "'" + path_ + "' is a damaged Benchdeck session (its tables are missing or incomplete)";
            return false;
        }
    }
    if (schemaVersion_ < kSchemaVersion) {
        if (readOnly_) {
            // Read as it is: every reader below copes with older schemas, and a read never writes.
            return true;
        }
        // An upgrade rewrites the file: a copy of it as it was is written beside it first.
        std::string backupError;
        const std::string backup = backupPathFor(path_, schemaVersion_);
        if (!saveAs(backup, &backupError)) {
            *error = "'" + path_ + "' needs an upgrade to session schema " + std::to_string(kSchemaVersion) +
                     ", but no backup copy could be written first (" + backupError + "); nothing was changed";
            return false;
        }
        migratedBackup_ = backup;
        Transaction transaction(db);
        for (const auto& migration : migrations()) {
            if (migration.toVersion > schemaVersion_ && !execute(db, migration.sql, error)) {
                return false;
            }
        }
        const std::string bump = "PRAGMA user_version = " + std::to_string(kSchemaVersion);
        if (!execute(db, bump.c_str(), error) || !transaction.commit(error)) {
            return false;
        }
        schemaVersion_ = kSchemaVersion;
    }
    if (readOnly_) {
        return true;
    }
    // Crash safety: WAL, so a crash loses at most the transaction in progress; NORMAL sync is
    // durable across process crashes, which is what a killed run needs.
    if (!execute(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;", error)) {
        return false;
    }
    // Every process with the session open holds a shared flock; only a process that can take it
    // exclusively knows that no writer is alive, and only then may `running` become `interrupted`.
    lockFd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (lockFd_ >= 0 && flock(lockFd_, LOCK_EX | LOCK_NB) == 0) {
        Statement interrupt(db, "UPDATE runs SET status = 'interrupted' WHERE status = 'running'");
        interrupt.run();
        interruptedOnOpen_ = sqlite3_changes(db);
        purgeDeletedRuns(); // deleted by a window that died before it could close the session
    }
    if (lockFd_ >= 0) {
        flock(lockFd_, LOCK_SH);
    }
    (void)mode;
    return true;
}

SessionFile::~SessionFile()
{
    if (db_ && !readOnly_ && lockFd_ >= 0 && flock(lockFd_, LOCK_EX | LOCK_NB) == 0) {
        // Last one out folds the WAL back in, so the file at rest is one self-contained file that can
        // be mailed, copied or opened read-only. Runs deleted in this session go for good now.
        purgeDeletedRuns();
        execute(db_.get(), "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;", nullptr);
    }
    db_.reset();
    if (lockFd_ >= 0) {
        ::close(lockFd_);
    }
}

std::string SessionFile::statusAsRead(const std::string& stored) const
{
    // A run still `running` in a file nobody writes to had its writer die: say so without writing.
    return stored == "running" && readOnly_ && !writerAlive(path_) ? std::string("interrupted") : stored;
}

std::vector<RunListing> SessionFile::listRuns(std::string* error) const
{
    std::vector<RunListing> runs;
    const std::string failure = schemaVersion_ >= 2 ? "r.failure_reason" : "''";
    const bool annotated = schemaVersion_ >= 4;
    Statement query(db_.get(), R"SQL(
        SELECT r.id, r.started_at, r.label, r.url, r.profile, r.status, r.engine, )SQL" + failure + R"SQL(,
               s.rps, s.p50_us, s.p99_us, s.requests, s.errors,
               CASE WHEN s.run_id IS NULL THEN
                    (SELECT COALESCE(SUM(requests), 0) FROM run_series WHERE run_id = r.id) END,
               CASE WHEN s.run_id IS NULL THEN
                    (SELECT COALESCE(SUM(errors), 0) FROM run_series WHERE run_id = r.id) END,
               CASE WHEN s.run_id IS NULL THEN
                    (SELECT COALESCE(MAX(t), 0) FROM run_series WHERE run_id = r.id) END,
               )SQL" + std::string(annotated ? "r.note, r.baseline" : "'', 0") + R"SQL(,
               COALESCE(t.name, ''), COALESCE(c.name, '')
        FROM runs r LEFT JOIN run_summaries s ON s.run_id = r.id
             LEFT JOIN targets t ON t.id = r.target_id LEFT JOIN candidates c ON c.id = t.candidate_id
        )SQL" + std::string(annotated ? "WHERE r.deleted_at IS NULL " : "") + "ORDER BY r.id");
    if (!query.ok()) {
        *error = sqliteError(db_.get());
        return runs;
    }
    while (query.step() == SQLITE_ROW) {
        RunListing run;
        run.id = query.integer(0);
        run.startedAt = query.text(1);
        run.label = query.text(2);
        run.url = engine::maskUrlCredentials(query.text(3)); // files from before masking may hold one
        // Schema-1 plans lost their load shape: their old profile text may describe the wrong model.
        run.profile = schemaVersion_ >= 2 ? query.text(4) : "plan not recorded";
        run.status = statusAsRead(query.text(5));
        run.engine = query.text(6);
        run.failureReason = query.text(7);
        if (!query.isNull(8)) {
            run.rps = query.real(8);
            run.p50Micros = query.integer(9);
            run.p99Micros = query.integer(10);
            run.requests = uint64_t(query.integer(11));
            run.errors = uint64_t(query.integer(12));
        } else {
            // An interrupted run has no summary: its series is what survived.
            run.requests = uint64_t(query.integer(13));
            run.errors = uint64_t(query.integer(14));
            const double seconds = query.real(15);
            run.rps = seconds > 0 ? double(run.requests) / seconds : 0;
        }
        run.note = query.text(16);
        run.baseline = query.integer(17) != 0;
        run.targetName = query.text(18);
        run.candidateName = query.text(19);
        runs.push_back(std::move(run));
    }
    return runs;
}

std::optional<StoredRun> SessionFile::loadRun(int64_t id, std::string* error) const
{
    sqlite3* db = db_.get();
    StoredRun run;
    {
        const std::string failure = schemaVersion_ >= 2 ? "failure_reason" : "''";
        const bool annotated = schemaVersion_ >= 4;
        Statement query(db, "SELECT started_at, finished_at, label, url, profile, status, engine, plan_json, "
                            "environment_json, secrets_withheld, " + failure + ", " +
                                (annotated ? "note, baseline" : "'', 0") + " FROM runs WHERE id = ?1" +
                                (annotated ? " AND deleted_at IS NULL" : ""));
        query.bind(1, id);
        if (query.step() != SQLITE_ROW) {
            *error = "no run " + std::to_string(id) + " in '" + path_ + "'";
            return std::nullopt;
        }
        run.listing.id = id;
        run.listing.startedAt = query.text(0);
        run.result.startedAt = parseIsoTime(query.text(0));
        if (!query.isNull(1)) {
            run.result.finishedAt = parseIsoTime(query.text(1));
        }
        run.listing.label = query.text(2);
        run.listing.url = engine::maskUrlCredentials(query.text(3));
        run.listing.status = statusAsRead(query.text(5));
        run.listing.engine = run.result.engineName = query.text(6);
        run.plan = QJsonDocument::fromJson(QByteArray::fromStdString(query.text(7))).object();
        run.planRecorded = plan::isRecorded(run.plan);
        run.listing.profile = plan::describe(run.plan);
        run.environment = QJsonDocument::fromJson(QByteArray::fromStdString(query.text(8))).object();
        run.secretsWithheld = query.integer(9) != 0;
        run.listing.failureReason = query.text(10);
        run.listing.note = query.text(11);
        run.listing.baseline = query.integer(12) != 0;
    }
    {
        Statement names(db, "SELECT COALESCE(t.name, ''), COALESCE(c.name, '') FROM runs r "
                            "LEFT JOIN targets t ON t.id = r.target_id LEFT JOIN candidates c ON c.id = t.candidate_id "
                            "WHERE r.id = ?1");
        names.bind(1, id);
        if (names.step() == SQLITE_ROW) {
            run.listing.targetName = names.text(0);
            run.listing.candidateName = names.text(1);
        }
    }
    auto& total = run.result.total;
    metrics::LatencyHistogram fromSeries;
    {
        Statement query(db, "SELECT t, seconds, requests, errors, bytes_received, p50_us, p90_us, p99_us, max_us, "
                            "mean_us, cpu_percent, latency FROM run_series WHERE run_id = ?1 ORDER BY t");
        query.bind(1, id);
        while (query.step() == SQLITE_ROW) {
            metrics::IntervalRecord point;
            point.t = query.real(0);
            point.seconds = query.real(1);
            point.requests = uint64_t(query.integer(2));
            point.errors = uint64_t(query.integer(3));
            point.bytesReceived = uint64_t(query.integer(4));
            point.p50 = query.integer(5);
            point.p90 = query.integer(6);
            point.p99 = query.integer(7);
            point.max = query.integer(8);
            point.meanMicros = query.real(9);
            point.cpuPercent = query.real(10);
            if (auto histogram = metrics::decodeHistogram(query.blob(11))) {
                fromSeries.merge(*histogram);
            }
            run.result.series.push_back(point);
        }
    }
    bool haveSummary = false;
    {
        // Schema 2 files (read-only opens) have neither column: nothing was left waiting, as far as we know.
        const std::string schema3 = schemaVersion_ >= 3 ? "unanswered_at_end, schedule_json" : "0, '{}'";
        Statement query(db, "SELECT requests, errors, warmup_requests, duration_s, bytes_received, bytes_sent, "
                            "connections_opened, generator_cpu_percent, generator_saturated, generator_json, " +
                                schema3 + " FROM run_summaries WHERE run_id = ?1");
        query.bind(1, id);
        if (query.step() == SQLITE_ROW) {
            haveSummary = true;
            total.requests = uint64_t(query.integer(0));
            total.errors = uint64_t(query.integer(1));
            total.warmupRequests = uint64_t(query.integer(2));
            run.result.durationSeconds = query.real(3);
            total.bytesReceived = uint64_t(query.integer(4));
            total.bytesSent = uint64_t(query.integer(5));
            total.connectionsOpened = uint64_t(query.integer(6));
            run.result.generator.cpuPercent = query.real(7);
            run.result.generator.saturated = query.integer(8) != 0;
            const auto generator = QJsonDocument::fromJson(QByteArray::fromStdString(query.text(9))).object();
            run.result.generator.advice = generator.value(QStringLiteral("advice")).toString().toStdString();
            for (const auto& value : generator.value(QStringLiteral("worker_cpu_percent")).toArray()) {
                run.result.generator.workerCpuPercent.push_back(value.toDouble());
            }
            run.result.server = serverSummaryFromJson(generator.value(QStringLiteral("server")).toObject());
            total.unansweredAtEnd = uint64_t(std::max<int64_t>(0, query.integer(10)));
            run.result.schedule =
                scheduleFromJson(QJsonDocument::fromJson(QByteArray::fromStdString(query.text(11))).object());
        }
    }
    if (run.result.server.measured) {
        Statement query(db, "SELECT t, rss_bytes, cpu_us FROM server_samples WHERE run_id = ?1 ORDER BY t");
        query.bind(1, id);
        while (query.step() == SQLITE_ROW) {
            metrics::ServerSample point;
            point.t = query.real(0);
            point.rssBytes = uint64_t(std::max<int64_t>(0, query.integer(1)));
            point.cpuMicros = uint64_t(std::max<int64_t>(0, query.integer(2)));
            run.result.server.samples.push_back(point);
        }
    }
    {
        Statement query(db, "SELECT kind, data FROM run_histograms WHERE run_id = ?1");
        query.bind(1, id);
        while (query.step() == SQLITE_ROW) {
            auto histogram = metrics::decodeHistogram(query.blob(1));
            if (!histogram) {
                *error = "run " + std::to_string(id) + " has a damaged histogram";
                return std::nullopt;
            }
            const std::string kind = query.text(0);
            (kind == "latency" ? total.latency
             : kind == "connect" ? total.connect
             : kind == "tls"     ? total.tls
                                 : total.ttfb) = std::move(*histogram);
        }
    }
    {
        Statement query(db, "SELECT code, count FROM run_status_codes WHERE run_id = ?1");
        query.bind(1, id);
        while (query.step() == SQLITE_ROW) {
            const auto code = query.integer(0);
            if (code >= 0 && code < metrics::MetricsSlice::kMaxStatus) {
                total.statusCounts[size_t(code)] = uint64_t(query.integer(1));
            }
        }
        const std::string message = schemaVersion_ >= 4 ? "first_message" : "''";
        Statement kinds(db, "SELECT kind, count, " + message + " FROM run_error_kinds WHERE run_id = ?1");
        kinds.bind(1, id);
        while (kinds.step() == SQLITE_ROW) {
            const std::string name = kinds.text(0);
            for (size_t i = 0; i < metrics::kErrorKindCount; ++i) {
                if (metrics::errorKindName(metrics::errorKindAt(i)) == name) {
                    total.errorKinds[i] = uint64_t(kinds.integer(1));
                    total.setFirstErrorMessage(metrics::errorKindAt(i), kinds.text(2));
                }
            }
        }
    }
    if (schemaVersion_ >= 6 && !loadScenarioResults(db, id, run.result, error)) {
        return std::nullopt;
    }
    if (!haveSummary) {
        // Interrupted: rebuild what can be rebuilt from the intervals that reached the disk.
        total.latency = fromSeries;
        for (const auto& point : run.result.series) {
            total.requests += point.requests;
            total.errors += point.errors;
            total.bytesReceived += point.bytesReceived;
        }
        run.result.durationSeconds = run.result.series.empty() ? 0 : run.result.series.back().t;
    }
    run.result.finalize(metrics::runStatusFromName(run.listing.status));
    const auto& summary = run.result.summary;
    if (summary.status == metrics::RunStatus::Failed && run.listing.failureReason.empty()) {
        run.listing.failureReason = summary.failureReason;
    }
    run.listing.status = std::string(metrics::runStatusName(summary.status));
    run.listing.requests = summary.requests;
    run.listing.errors = summary.errors;
    run.listing.rps = summary.rps;
    run.listing.p50Micros = summary.latency.p50;
    run.listing.p99Micros = summary.latency.p99;
    return run;
}

std::optional<int64_t> SessionFile::beginRun(const engine::RunConfig& config, bool keepSecrets, std::string* error)
{
    if (readOnly_) {
        *error = "'" + path_ + "' is open read-only";
        return std::nullopt;
    }
    bool withheld = false;
    const auto plan = plan::toJson(config, keepSecrets ? plan::Secrets::Keep : plan::Secrets::Withhold, &withheld);
    Statement insert(db_.get(), "INSERT INTO runs(label, url, profile, plan_json, status, started_at, "
                                "environment_json, secrets_withheld, engine) "
                                "VALUES (?1, ?2, ?3, ?4, 'running', ?5, ?6, ?7, ?8)");
    insert.bind(1, config.label)
        .bind(2, plan.value(QStringLiteral("url")).toString().toStdString())
        .bind(3, plan::describe(config))
        .bind(4, QJsonDocument(plan).toJson(QJsonDocument::Compact).toStdString())
        .bind(5, isoTime(std::chrono::system_clock::now()))
        .bind(6, QJsonDocument(currentEnvironment()).toJson(QJsonDocument::Compact).toStdString())
        .bind(7, int64_t(withheld ? 1 : 0))
        .bind(8, plan.value(QStringLiteral("engine")).toString().toStdString());
    if (!insert.run()) {
        *error = "cannot record the run in '" + path_ + "': " + sqliteError(db_.get());
        return std::nullopt;
    }
    return sqlite3_last_insert_rowid(db_.get());
}

bool SessionFile::appendInterval(int64_t runId, const metrics::IntervalRecord& p, const std::string& latencyBlob,
                                 std::string* error)
{
    Statement insert(db_.get(), "INSERT OR REPLACE INTO run_series(run_id, t, seconds, requests, errors, "
                                "bytes_received, p50_us, p90_us, p99_us, max_us, mean_us, cpu_percent, latency) "
                                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
    insert.bind(1, runId)
        .bind(2, p.t)
        .bind(3, p.seconds)
        .bind(4, int64_t(p.requests))
        .bind(5, int64_t(p.errors))
        .bind(6, int64_t(p.bytesReceived))
        .bind(7, p.p50)
        .bind(8, p.p90)
        .bind(9, p.p99)
        .bind(10, p.max)
        .bind(11, p.meanMicros)
        .bind(12, p.cpuPercent)
        .bindBlob(13, latencyBlob);
    if (!insert.run()) {
        *error = sqliteError(db_.get());
        return false;
    }
    return true;
}

bool SessionFile::finishRun(int64_t runId, const metrics::RunResult& result, std::string* error)
{
    sqlite3* db = db_.get();
    Transaction transaction(db);
    const auto& total = result.total;
    const auto& summary = result.summary;
    if (!summary.computed) {
        *error = "internal error: run " + std::to_string(runId) + " was stored before its summary was computed";
        return false;
    }
    QJsonArray workerCpu;
    for (const double percent : result.generator.workerCpuPercent) {
        workerCpu.append(percent);
    }
    QJsonObject generator{{QStringLiteral("worker_cpu_percent"), workerCpu},
                          {QStringLiteral("advice"), QString::fromStdString(result.generator.advice)},
                          {QStringLiteral("threads"), result.threads}};
    // The server's summary rides in generator_json (no schema change); its samples have their table.
    if (result.server.measured) {
        generator.insert(QStringLiteral("server"), serverSummaryToJson(result.server));
    }
    Statement row(db, "INSERT OR REPLACE INTO run_summaries VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
                          "?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)");
    row.bind(1, runId)
        .bind(2, int64_t(summary.requests))
        .bind(3, int64_t(summary.responses))
        .bind(4, int64_t(summary.errors))
        .bind(5, int64_t(total.warmupRequests))
        .bind(6, summary.durationSeconds)
        .bind(7, summary.rps)
        .bind(8, int64_t(total.bytesReceived))
        .bind(9, int64_t(total.bytesSent))
        .bind(10, int64_t(total.connectionsOpened))
        .bind(11, summary.latency.mean)
        .bind(12, summary.latency.p50)
        .bind(13, summary.latency.p90)
        .bind(14, summary.latency.p99)
        .bind(15, summary.latency.p999)
        .bind(16, summary.latency.max)
        .bind(17, result.generator.cpuPercent)
        .bind(18, int64_t(result.generator.saturated ? 1 : 0))
        .bind(19, QJsonDocument(generator).toJson(QJsonDocument::Compact).toStdString())
        .bind(20, int64_t(total.unansweredAtEnd))
        .bind(21, QJsonDocument(scheduleToJson(result.schedule)).toJson(QJsonDocument::Compact).toStdString());
    bool ok = row.run();
    const std::pair<const char*, const metrics::LatencyHistogram*> histograms[] = {
        {"latency", &total.latency}, {"connect", &total.connect}, {"tls", &total.tls}, {"ttfb", &total.ttfb}};
    Statement histogram(db, "INSERT OR REPLACE INTO run_histograms(run_id, kind, data) VALUES (?1, ?2, ?3)");
    for (const auto& [kind, h] : histograms) {
        histogram.reset();
        ok = ok && histogram.bind(1, runId).bind(2, std::string_view(kind)).bindBlob(3, metrics::encodeHistogram(*h)).run();
    }
    Statement status(db, "INSERT OR REPLACE INTO run_status_codes(run_id, code, count) VALUES (?1, ?2, ?3)");
    for (size_t code = 0; code < total.statusCounts.size(); ++code) {
        if (total.statusCounts[code]) {
            status.reset();
            ok = ok && status.bind(1, runId).bind(2, int64_t(code)).bind(3, int64_t(total.statusCounts[code])).run();
        }
    }
    Statement kinds(db, "INSERT OR REPLACE INTO run_error_kinds(run_id, kind, count, first_message) "
                        "VALUES (?1, ?2, ?3, ?4)");
    for (size_t i = 0; i < metrics::kErrorKindCount; ++i) {
        if (total.errorKinds[i]) {
            kinds.reset();
            ok = ok && kinds.bind(1, runId)
                           .bind(2, metrics::errorKindName(metrics::errorKindAt(i)))
                           .bind(3, int64_t(total.errorKinds[i]))
                           .bind(4, total.firstErrorMessage(metrics::errorKindAt(i)))
                           .run();
        }
    }
    Statement sample(db, "INSERT OR REPLACE INTO server_samples(run_id, t, rss_bytes, cpu_us) VALUES (?1, ?2, ?3, ?4)");
    for (size_t i = 0; result.server.measured && i < result.server.samples.size(); ++i) {
        const auto& point = result.server.samples[i];
        sample.reset();
        ok = ok && sample.bind(1, runId)
                       .bind(2, point.t)
                       .bind(3, int64_t(point.rssBytes))
                       .bind(4, int64_t(point.cpuMicros))
                       .run();
    }
    ok = ok && storeScenarioResults(db, runId, result);
    Statement finish(db, "UPDATE runs SET status = ?2, finished_at = ?3, failure_reason = ?4 WHERE id = ?1");
    ok = ok && finish.bind(1, runId)
                   .bind(2, metrics::runStatusName(summary.status))
                   .bind(3, isoTime(result.finishedAt))
                   .bind(4, summary.failureReason)
                   .run();
    if (!ok) {
        *error = "cannot store the run's results: " + sqliteError(db);
        return false;
    }
    return transaction.commit(error);
}

bool SessionFile::saveAs(const std::string& destination, std::string* error) const
{
    sqlite3* raw = nullptr;
    if (sqlite3_open_v2(destination.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
        *error = "cannot create '" + destination + "': " + (raw ? sqliteError(raw) : "out of memory");
        sqlite3_close_v2(raw);
        return false;
    }
    Database target(raw);
    sqlite3_backup* backup = sqlite3_backup_init(raw, "main", db_.get(), "main");
    if (!backup) {
        *error = "cannot copy to '" + destination + "': " + sqliteError(raw);
        return false;
    }
    const int rc = sqlite3_backup_step(backup, -1);
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) {
        *error = "cannot copy to '" + destination + "': " + sqlite3_errstr(rc);
        return false;
    }
    // Runs deleted in this session are not passed on, and the copy is a file at rest: rollback
    // journal, no WAL beside it.
    // VACUUM, so that their pages (plans may hold kept secrets) do not linger in the copy's free list.
    if (schemaVersion_ >= 4 &&
        !execute(raw, "PRAGMA foreign_keys = ON; DELETE FROM runs WHERE deleted_at IS NOT NULL; VACUUM", error)) {
        return false;
    }
    return execute(raw, "PRAGMA journal_mode = DELETE", error);
}

bool saveCopyReplacing(const SessionFile& session, const std::string& destination, std::string* error)
{
    std::error_code ignored;
    if (std::filesystem::equivalent(destination, session.path(), ignored)) {
        *error = "that is the session's own file: it is already saved";
        return false;
    }
    // Copied beside the destination first, so a failed copy never costs the file that was there.
    const std::string partial = destination + ".partial";
    std::filesystem::remove(partial, ignored);
    if (!session.saveAs(partial, error)) {
        std::filesystem::remove(partial, ignored);
        return false;
    }
    // A session someone has open there would be replaced under their feet, and a WAL left beside an
    // old file would be replayed into the copy on its next open: refuse the one, remove the other.
    if (const int fd = ::open(destination.c_str(), O_RDONLY | O_CLOEXEC); fd >= 0) {
        const bool inUse = flock(fd, LOCK_EX | LOCK_NB) != 0;
        ::close(fd);
        if (inUse) {
            std::filesystem::remove(partial, ignored);
            *error = "'" + destination + "' is a session open in another Benchdeck; close it there first";
            return false;
        }
    }
    for (const char* suffix : {"-wal", "-shm", "-journal"}) {
        std::filesystem::remove(destination + suffix, ignored);
    }
    if (std::rename(partial.c_str(), destination.c_str()) != 0) {
        std::filesystem::remove(partial, ignored);
        *error = "could not move the copy into place at '" + destination + "': " + std::strerror(errno);
        return false;
    }
    return true;
}

} // namespace benchdeck::store
