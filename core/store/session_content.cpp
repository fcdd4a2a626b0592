// SPDX-License-Identifier: Apache-2.0
// The session's own content beside its runs: candidates, targets, profiles, decision table, UI state.
#include "session_file.h"
#include "plan/plan_codec.h"

#include "engine/run_config.h"
#include "engine/target_url.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace benchdeck::store {
namespace {

std::string toJsonText(const QJsonValue& value)
{
    const QJsonDocument document = value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    return document.toJson(QJsonDocument::Compact).toStdString();
}

bool finish(Statement& statement, sqlite3* db, std::string* error)
{
    if (statement.run()) {
        return true;
    }
    *error = sqlite3_errmsg(db);
    return false;
}

bool removeRow(sqlite3* db, const char* sql, int64_t id, std::string* error)
{
    Statement statement(db, sql);
    statement.bind(1, id);
    return finish(statement, db, error);
}

} // namespace

std::vector<Candidate> SessionFile::candidates(std::string* error) const
{
    std::vector<Candidate> list;
    Statement query(db_.get(), "SELECT id, name, stack, notes FROM candidates ORDER BY id");
    while (query.step() == SQLITE_ROW) {
        list.push_back({query.integer(0), query.text(1), query.text(2), query.text(3)});
    }
    (void)error;
    return list;
}

bool SessionFile::saveCandidate(Candidate& c, std::string* error)
{
    Statement statement(db_.get(), c.id ? "UPDATE candidates SET name = ?2, stack = ?3, notes = ?4 WHERE id = ?1"
                                        : "INSERT INTO candidates(name, stack, notes) VALUES (?2, ?3, ?4)");
    if (c.id) {
        statement.bind(1, c.id);
    }
    statement.bind(2, c.name).bind(3, c.stack).bind(4, c.notes);
    if (!finish(statement, db_.get(), error)) {
        return false;
    }
    if (!c.id) {
        c.id = sqlite3_last_insert_rowid(db_.get());
    }
    return true;
}

bool SessionFile::removeCandidate(int64_t id, std::string* error)
{
    return removeRow(db_.get(), "DELETE FROM candidates WHERE id = ?1", id, error);
}

std::vector<Target> SessionFile::targets(std::string* error) const
{
    std::vector<Target> list;
    Statement query(db_.get(), "SELECT id, candidate_id, name, url, method, headers_json, body, http_version, "
                               "insecure, follow_redirects, request_timeout_us, connect_timeout_us, server_pid, "
                               "server_command, " +
                                   std::string(schemaVersion_ >= 3 ? "artifact_paths" : "''") +
                                   std::string(schemaVersion_ >= 5 ? ", streams, cacert" : ", 1, ''") +
                                   std::string(schemaVersion_ >= 6 ? ", scenario_json" : ", ''") +
                                   " FROM targets ORDER BY id");
    while (query.step() == SQLITE_ROW) {
        Target t;
        t.id = query.integer(0);
        t.candidateId = query.isNull(1) ? 0 : query.integer(1);
        t.name = query.text(2);
        t.request.url = query.text(3);
        t.request.method = query.text(4);
        const auto headers = QJsonDocument::fromJson(QByteArray::fromStdString(query.text(5))).array();
        for (const auto& value : headers) {
            const auto header = value.toObject();
            t.request.headers.push_back({header.value(QStringLiteral("name")).toString().toStdString(),
                                         header.value(QStringLiteral("value")).toString().toStdString(),
                                         header.value(QStringLiteral("withheld")).toBool()});
        }
        const auto body = query.blob(6);
        t.request.body.assign(reinterpret_cast<const char*>(body.data()), body.size());
        t.request.httpVersion = query.text(7) == "2" ? engine::HttpVersion::Http2 : engine::HttpVersion::Http1;
        t.request.insecure = query.integer(8) != 0;
        t.request.followRedirects = query.integer(9) != 0;
        t.request.requestTimeout = engine::Micros(query.integer(10));
        t.request.connectTimeout = engine::Micros(query.integer(11));
        t.request.streams = int(std::clamp<int64_t>(query.integer(15), 1, engine::kMaxStreams));
        t.request.caCertFile = query.text(16);
        if (const std::string scenario = query.text(17); !scenario.empty()) {
            std::string why;
            t.request.scenario =
                plan::scenarioFromJson(QJsonDocument::fromJson(QByteArray::fromStdString(scenario)).object(), &why);
            if (!t.request.scenario && error) {
                *error = "target " + std::to_string(t.id) + ": " + why; // listed without it, said
            }
        }
        t.serverPid = query.isNull(12) ? 0 : query.integer(12);
        t.serverCommand = query.text(13);
        for (const auto& path : QString::fromStdString(query.text(14)).split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            t.artifactPaths.push_back(path.toStdString());
        }
        list.push_back(std::move(t));
    }
    (void)error;
    return list;
}

bool SessionFile::saveTarget(Target& t, bool keepSecrets, std::string* error)
{
    QJsonArray headers;
    for (const auto& header : t.request.headers) {
        QJsonObject entry{{QStringLiteral("name"), QString::fromStdString(header.name)}};
        // A value withheld when it was stored stays withheld: its empty stand-in is not the secret.
        if (!header.withheld && (keepSecrets || !plan::isCredentialHeader(header.name))) {
            entry.insert(QStringLiteral("value"), QString::fromStdString(header.value));
        } else {
            entry.insert(QStringLiteral("withheld"), true);
        }
        headers.append(entry);
    }
    Statement statement(db_.get(),
                        t.id ? "UPDATE targets SET candidate_id = ?2, name = ?3, url = ?4, method = ?5, "
                               "headers_json = ?6, body = ?7, http_version = ?8, insecure = ?9, follow_redirects = "
                               "?10, request_timeout_us = ?11, connect_timeout_us = ?12, server_pid = ?13, "
                               "server_command = ?14, artifact_paths = ?15, streams = ?16, cacert = ?17, "
                               "scenario_json = ?18 WHERE id = ?1"
                             : "INSERT INTO targets(candidate_id, name, url, method, headers_json, body, "
                               "http_version, insecure, follow_redirects, request_timeout_us, connect_timeout_us, "
                               "server_pid, server_command, artifact_paths, streams, cacert, scenario_json) VALUES "
                               "(?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)");
    if (t.id) {
        statement.bind(1, t.id);
    }
    if (t.candidateId) {
        statement.bind(2, t.candidateId);
    } else {
        statement.bindNull(2);
    }
    statement.bind(3, t.name)
        .bind(4, keepSecrets ? t.request.url : engine::maskUrlCredentials(t.request.url))
        .bind(5, t.request.method)
        .bind(6, toJsonText(headers))
        .bindBlob(7, t.request.body)
        .bind(8, std::string_view(t.request.httpVersion == engine::HttpVersion::Http2 ? "2" : "1.1"))
        .bind(9, int64_t(t.request.insecure))
        .bind(10, int64_t(t.request.followRedirects))
        .bind(11, int64_t(t.request.requestTimeout.count()))
        .bind(12, int64_t(t.request.connectTimeout.count()));
    t.serverPid ? statement.bind(13, t.serverPid) : statement.bindNull(13);
    t.serverCommand.empty() ? statement.bindNull(14) : statement.bind(14, t.serverCommand);
    std::string artifacts;
    for (const auto& path : t.artifactPaths) {
        artifacts += (artifacts.empty() ? "" : "\n") + path;
    }
    statement.bind(15, artifacts).bind(16, int64_t(t.request.streams)).bind(17, t.request.caCertFile);
    bool withheld = false;
    statement.bind(18, t.request.scenario
                           ? toJsonText(plan::scenarioToJson(*t.request.scenario,
                                                             keepSecrets ? plan::Secrets::Keep : plan::Secrets::Withhold,
                                                             &withheld))
                           : std::string());
    if (!finish(statement, db_.get(), error)) {
        return false;
    }
    if (!t.id) {
        t.id = sqlite3_last_insert_rowid(db_.get());
    }
    return true;
}

bool SessionFile::removeTarget(int64_t id, std::string* error)
{
    return removeRow(db_.get(), "DELETE FROM targets WHERE id = ?1", id, error);
}

std::vector<Profile> SessionFile::profiles(std::string* error) const
{
    std::vector<Profile> list;
    const std::string thresholds = schemaVersion_ >= 4 ? "thresholds_json" : "'[]'";
    Statement query(db_.get(), "SELECT id, name, connections, threads, duration_us, requests, warmup_us, model, rate, "
                               "stages, " + thresholds + " FROM profiles ORDER BY id");
    while (query.step() == SQLITE_ROW) {
        Profile p;
        p.id = query.integer(0);
        p.name = query.text(1);
        p.load.connections = int(query.integer(2));
        p.load.threads = int(query.integer(3));
        p.load.duration = engine::Micros(query.integer(4));
        p.load.requests = uint64_t(query.integer(5));
        p.load.warmup = engine::Micros(query.integer(6));
        p.load.openModel = query.text(7) == "open";
        p.load.rate = query.isNull(8) ? 0 : query.real(8);
        std::string ignored;
        if (auto stages = engine::parseStages(query.text(9), &ignored); stages && !query.isNull(9)) {
            p.load.stages = std::move(*stages);
        }
        for (const auto& value : QJsonDocument::fromJson(QByteArray::fromStdString(query.text(10))).array()) {
            if (value.isString() && p.load.thresholds.size() < engine::kMaxThresholds) {
                p.load.thresholds.push_back(value.toString().toStdString());
            }
        }
        list.push_back(std::move(p));
    }
    (void)error;
    return list;
}

bool SessionFile::saveProfile(Profile& p, std::string* error)
{
    Statement statement(db_.get(), p.id ? "UPDATE profiles SET name = ?2, connections = ?3, threads = ?4, "
                                          "duration_us = ?5, requests = ?6, warmup_us = ?7, model = ?8, rate = ?9, "
                                          "stages = ?10, thresholds_json = ?11 WHERE id = ?1"
                                        : "INSERT INTO profiles(name, connections, threads, duration_us, requests, "
                                          "warmup_us, model, rate, stages, thresholds_json) "
                                          "VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
    if (p.id) {
        statement.bind(1, p.id);
    }
    statement.bind(2, p.name)
        .bind(3, int64_t(p.load.connections))
        .bind(4, int64_t(p.load.threads))
        .bind(5, int64_t(p.load.duration.count()))
        .bind(6, int64_t(p.load.requests))
        .bind(7, int64_t(p.load.warmup.count()))
        .bind(8, std::string_view(engine::isOpenModel(p.load) ? "open" : "closed"))
        .bind(9, p.load.rate);
    if (p.load.stages.empty()) {
        statement.bindNull(10);
    } else {
        statement.bind(10, engine::formatStages(p.load.stages));
    }
    QJsonArray thresholds;
    for (const auto& expression : p.load.thresholds) {
        thresholds.append(QString::fromStdString(expression));
    }
    statement.bind(11, QJsonDocument(thresholds).toJson(QJsonDocument::Compact).toStdString());
    if (!finish(statement, db_.get(), error)) {
        return false;
    }
    if (!p.id) {
        p.id = sqlite3_last_insert_rowid(db_.get());
    }
    return true;
}

bool SessionFile::removeProfile(int64_t id, std::string* error)
{
    return removeRow(db_.get(), "DELETE FROM profiles WHERE id = ?1", id, error);
}

bool SessionFile::attachRun(int64_t runId, int64_t targetId, int64_t profileId, std::string* error)
{
    Statement statement(db_.get(), "UPDATE runs SET target_id = ?2, profile_id = ?3 WHERE id = ?1");
    statement.bind(1, runId);
    targetId ? statement.bind(2, targetId) : statement.bindNull(2);
    profileId ? statement.bind(3, profileId) : statement.bindNull(3);
    return finish(statement, db_.get(), error);
}

int64_t SessionFile::runTarget(int64_t runId) const
{
    Statement query(db_.get(), "SELECT target_id FROM runs WHERE id = ?1");
    query.bind(1, runId);
    return query.step() == SQLITE_ROW && !query.isNull(0) ? query.integer(0) : 0;
}

QJsonObject SessionFile::decisionModel() const
{
    Statement query(db_.get(), "SELECT value_json FROM decision_settings WHERE key = 'model'");
    if (query.step() != SQLITE_ROW) {
        return {};
    }
    return QJsonDocument::fromJson(QByteArray::fromStdString(query.text(0))).object();
}

bool SessionFile::saveDecisionModel(const QJsonObject& model, std::string* error)
{
    Statement statement(db_.get(), "INSERT OR REPLACE INTO decision_settings(key, value_json) VALUES ('model', ?1)");
    statement.bind(1, toJsonText(model));
    return finish(statement, db_.get(), error);
}

std::vector<Score> SessionFile::scores(std::string* error) const
{
    std::vector<Score> list;
    Statement query(db_.get(), "SELECT criterion, candidate_id, score FROM decision_scores ORDER BY rowid");
    while (query.step() == SQLITE_ROW) {
        list.push_back({query.text(0), query.integer(1), query.real(2)});
    }
    (void)error;
    return list;
}

bool SessionFile::saveScores(const std::vector<Score>& scores, std::string* error)
{
    Transaction transaction(db_.get());
    if (!execute(db_.get(), "DELETE FROM decision_scores", error)) {
        return false;
    }
    Statement insert(db_.get(), "INSERT INTO decision_scores(need, criterion, candidate_id, score) "
                                "VALUES ('', ?1, ?2, ?3)");
    for (const auto& score : scores) {
        insert.reset();
        insert.bind(1, score.criterion).bind(2, score.candidateId).bind(3, score.value);
        if (!finish(insert, db_.get(), error)) {
            return false;
        }
    }
    return transaction.commit(error);
}

QJsonValue SessionFile::uiState(const std::string& key) const
{
    Statement query(db_.get(), "SELECT value_json FROM ui_state WHERE key = ?1");
    query.bind(1, key);
    if (query.step() != SQLITE_ROW) {
        return {};
    }
    // Wrapped in an array so that any JSON value, not only objects, round-trips.
    return QJsonDocument::fromJson(QByteArray::fromStdString(query.text(0))).array().at(0);
}

bool SessionFile::saveUiState(const std::string& key, const QJsonValue& value, std::string* error)
{
    Statement statement(db_.get(), "INSERT OR REPLACE INTO ui_state(key, value_json) VALUES (?1, ?2)");
    statement.bind(1, key).bind(2, toJsonText(QJsonArray{value}));
    return finish(statement, db_.get(), error);
}

} // namespace benchdeck::store
