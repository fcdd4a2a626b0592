// SPDX-License-Identifier: Apache-2.0
// Session files: round trips, secrets, crash safety, concurrent readers, and a corpus of files that
// must be refused without a single byte of them changing.
#include "engine/engine.h"
#include "metrics/histogram_codec.h"
#include "store/run_recorder.h"
#include "store/schema.h"
#include "store/session_file.h"
#include "target/target_server.h"

#include "cli_process.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>
#include <sys/stat.h>

#include <csignal>

using namespace benchdeck;
using namespace std::chrono_literals;

namespace {

QByteArray fileHash(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

// Runs a short load against an in-process target and records it, as `run --session` does.
int64_t recordRun(store::SessionFile& session, uint16_t port, const std::string& label,
                  std::vector<engine::Header> headers = {}, bool keepSecrets = false,
                  metrics::RunResult* resultOut = nullptr)
{
    engine::RunConfig config;
    config.url = "http://127.0.0.1:" + std::to_string(port) + "/";
    config.connections = 4;
    config.threads = 1;
    config.duration = 1s;
    config.label = label;
    config.headers = std::move(headers);
    std::string error;
    const auto runId = session.beginRun(config, keepSecrets, &error);
    if (!runId) {
        qWarning("beginRun: %s", error.c_str());
        return -1;
    }
    store::RunRecorder recorder(session, *runId);
    std::atomic<bool> stop{false};
    const auto result = engine::runLoad(config, stop, [&](const engine::LiveSnapshot& s) {
        if (s.completedInterval && s.completedIntervalLatency) {
            recorder.addInterval(*s.completedInterval, metrics::encodeHistogram(*s.completedIntervalLatency));
        }
    });
    if (!recorder.finish(result, &error)) {
        qWarning("finish: %s", error.c_str());
        return -1;
    }
    if (resultOut) {
        *resultOut = result;
    }
    return *runId;
}

bool createFromSql(const QString& path, const QByteArray& sql)
{
    sqlite3* db = nullptr;
    if (sqlite3_open(path.toUtf8().constData(), &db) != SQLITE_OK) {
        return false;
    }
    const bool ok = sqlite3_exec(db, sql.constData(), nullptr, nullptr, nullptr) == SQLITE_OK;
    sqlite3_close(db);
    return ok;
}

} // namespace

class TestStore : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    target::TargetServer target_{target::TargetOptions{}};

    QString path(const char* name) const { return dir_.filePath(QString::fromLatin1(name)); }

    // A real session with two runs, for tests that need one to damage or copy.
    QString makeSession(const char* name)
    {
        std::string error;
        const QString file = path(name);
        auto session = store::SessionFile::open(file.toStdString(), store::OpenMode::CreateOrOpen, &error);
        if (!session || recordRun(*session, target_.port(), "a") < 0 || recordRun(*session, target_.port(), "b") < 0) {
            qWarning("makeSession: %s", error.c_str());
        }
        return file;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        std::string error;
        QVERIFY2(target_.start(&error), error.c_str());
    }

    void storedRunReadsBackIdentical()
    {
        std::string error;
        const QString file = path("roundtrip.benchdeck");
        metrics::RunResult original;
        int64_t id = 0;
        {
            auto session = store::SessionFile::open(file.toStdString(), store::OpenMode::CreateOrOpen, &error);
            QVERIFY2(session, error.c_str());
            id = recordRun(*session, target_.port(), "round trip", {}, false, &original);
            QVERIFY(id > 0);
        }
        auto session = store::SessionFile::open(file.toStdString(), store::OpenMode::ReadOnly, &error);
        QVERIFY2(session, error.c_str());
        const auto stored = session->loadRun(id, &error);
        QVERIFY2(stored, error.c_str());
        QCOMPARE(stored->listing.status, std::string("completed"));
        QCOMPARE(stored->listing.label, std::string("round trip"));
        const auto& a = original.total;
        const auto& b = stored->result.total;
        QCOMPARE(b.requests, a.requests);
        QCOMPARE(b.errors, a.errors);
        QCOMPARE(b.bytesReceived, a.bytesReceived);
        QCOMPARE(b.statusCounts, a.statusCounts);
        QCOMPARE(b.errorKinds, a.errorKinds);
        QVERIFY(b.latency.sameDistribution(a.latency));
        QVERIFY(b.ttfb.sameDistribution(a.ttfb));
        QVERIFY(b.connect.sameDistribution(a.connect));
        for (const double p : {50.0, 90.0, 99.0, 99.9, 100.0}) {
            QCOMPARE(b.latency.valueAtPercentile(p), a.latency.valueAtPercentile(p));
        }
        QCOMPARE(b.latency.mean(), a.latency.mean());
        QCOMPARE(stored->result.durationSeconds, original.durationSeconds);
        QCOMPARE(stored->result.series.size(), original.series.size());
        for (size_t i = 0; i < original.series.size(); ++i) {
            QCOMPARE(stored->result.series[i].t, original.series[i].t);
            QCOMPARE(stored->result.series[i].requests, original.series[i].requests);
            QCOMPARE(stored->result.series[i].p99, original.series[i].p99);
        }
        QCOMPARE(stored->result.generator.saturated, original.generator.saturated);
        QCOMPARE(stored->environment.value(QStringLiteral("benchdeck")).toString(), QStringLiteral(BENCHDECK_VERSION));
        QVERIFY(!stored->environment.value(QStringLiteral("libcurl")).toString().isEmpty());
        QVERIFY(stored->environment.value(QStringLiteral("cores")).toInt() >= 1);
        const auto runs = session->listRuns(&error);
        QCOMPARE(runs.size(), size_t(1));
        QCOMPARE(runs[0].requests, a.requests);
        QCOMPARE(runs[0].p99Micros, a.latency.valueAtPercentile(99));
    }

    // Requests still waiting at the end and the open model's schedule figures are part of the run as
    // stored (schema 3), not only of the report printed when it ended.
    void unansweredAndScheduleSurviveReopening()
    {
        std::string error;
        const QString file = path("schedule.benchdeck");
        engine::RunConfig config;
        config.url = "http://127.0.0.1:9/";
        config.rate = 100;
        config.openModel = true;
        config.duration = 1s;
        metrics::RunResult result;
        for (int i = 0; i < 90; ++i) {
            result.total.recordResponse(200, 1000 + i);
        }
        result.total.unansweredAtEnd = 7;
        result.durationSeconds = 1;
        result.schedule = {true, 100.0, 97.0, 4, 1.25, 7.5};
        result.finalize();
        int64_t id = 0;
        {
            auto session = store::SessionFile::open(file.toStdString(), store::OpenMode::CreateOrOpen, &error);
            QVERIFY2(session, error.c_str());
            const auto runId = session->beginRun(config, false, &error);
            QVERIFY2(runId, error.c_str());
            id = *runId;
            store::RunRecorder recorder(*session, id);
            QVERIFY2(recorder.finish(result, &error), error.c_str());
        }
        for (const auto mode : {store::OpenMode::ReadOnly, store::OpenMode::ReadWrite}) {
            auto session = store::SessionFile::open(file.toStdString(), mode, &error);
            QVERIFY2(session, error.c_str());
            const auto stored = session->loadRun(id, &error);
            QVERIFY2(stored, error.c_str());
            QCOMPARE(stored->result.total.unansweredAtEnd, uint64_t(7));
            QCOMPARE(stored->result.summary.unansweredAtEnd, uint64_t(7));
            const auto& schedule = stored->result.schedule;
            QVERIFY(schedule.openModel);
            QCOMPARE(schedule.targetRate, 100.0);
            QCOMPARE(schedule.achievedRate, 97.0);
            QCOMPARE(schedule.lateSends, uint64_t(4));
            QCOMPARE(schedule.meanLateMs, 1.25);
            QCOMPARE(schedule.maxLateMs, 7.5);
        }
    }

    void secretsAreWithheldUnlessKept()
    {
        std::string error;
        const QString file = path("secrets.benchdeck");
        auto session = store::SessionFile::open(file.toStdString(), store::OpenMode::CreateOrOpen, &error);
        QVERIFY2(session, error.c_str());
        const std::vector<engine::Header> headers = {
            {"Authorization", "Bearer top-secret-token"}, {"X-Api-Key", "k-12345"}, {"Accept", "application/json"}};
        const auto withheld = recordRun(*session, target_.port(), "default", headers, false);
        const auto kept = recordRun(*session, target_.port(), "kept", headers, true);
        session.reset();
        QFile raw(file);
        QVERIFY(raw.open(QIODevice::ReadOnly));
        const QByteArray bytes = raw.readAll();
        QCOMPARE(bytes.count("top-secret-token"), 1); // only the run that asked to keep it
        session = store::SessionFile::open(file.toStdString(), store::OpenMode::ReadOnly, &error);
        const auto first = session->loadRun(withheld, &error);
        QVERIFY(first->secretsWithheld);
        const auto firstHeaders = first->plan.value(QStringLiteral("headers")).toArray();
        QCOMPARE(firstHeaders.size(), 3);
        QVERIFY(firstHeaders[0].toObject().value(QStringLiteral("withheld")).toBool());
        QVERIFY(!firstHeaders[0].toObject().contains(QStringLiteral("value")));
        QVERIFY(firstHeaders[1].toObject().value(QStringLiteral("withheld")).toBool());
        QCOMPARE(firstHeaders[2].toObject().value(QStringLiteral("value")).toString(),
                 QStringLiteral("application/json"));
        const auto second = session->loadRun(kept, &error);
        QVERIFY(!second->secretsWithheld);
        QCOMPARE(second->plan.value(QStringLiteral("headers")).toArray()[0].toObject().value("value").toString(),
                 QStringLiteral("Bearer top-secret-token"));
    }

    void sessionContentRoundTrips()
    {
        std::string error;
        const QString file = path("content.benchdeck");
        int64_t ginId = 0;
        int64_t targetId = 0;
        {
            auto session = store::SessionFile::open(file.toStdString(), store::OpenMode::CreateOrOpen, &error);
            QVERIFY2(session, error.c_str());
            store::Candidate gin{0, "Go (Gin)", "go", "net/http underneath"};
            store::Candidate fastapi{0, "Python (FastAPI)", "python", ""};
            QVERIFY(session->saveCandidate(gin, &error) && session->saveCandidate(fastapi, &error));
            ginId = gin.id;
            store::Target target;
            target.candidateId = gin.id;
            target.name = "hello";
            target.request.url = "https://api.example.test/json";
            target.request.method = "POST";
            target.request.headers = {{"Authorization", "Bearer x"}, {"Accept", "application/json"}};
            target.request.body = std::string("{\"a\":1}\0binary", 14);
            target.request.httpVersion = engine::HttpVersion::Http2;
            target.request.insecure = true;
            target.request.requestTimeout = 2500ms;
            target.serverCommand = "exec ./server --port 8080";
            QVERIFY2(session->saveTarget(target, false, &error), error.c_str());
            targetId = target.id;
            store::Profile profile{0, "1,000 users, 30 s", {}};
            profile.load.connections = 1000;
            profile.load.duration = 30s;
            profile.load.warmup = 5s;
            profile.load.thresholds = {"p99<50ms", "errors<1%"};
            QVERIFY(session->saveProfile(profile, &error));
            store::Profile ramp{0, "ramp", {}};
            ramp.load.openModel = true;
            ramp.load.stages = {{10s, 100}, {30s, 1000}, {10s, 0}};
            QVERIFY(session->saveProfile(ramp, &error));
            store::Profile open{0, "open", {}};
            open.load.rate = 500;
            QVERIFY(session->saveProfile(open, &error));
            QVERIFY(session->saveDecisionModel(QJsonObject{{"template", "go-vs-python"}, {"weights", QJsonArray{1, 2}}},
                                               &error));
            QVERIFY(session->saveScores({{"ai_ml", gin.id, 2}, {"ai_ml", fastapi.id, 5}}, &error));
            QVERIFY(session->saveUiState("selected_runs", QJsonArray{3, 4}, &error));
            QVERIFY(session->saveUiState("chart_log_scale", true, &error));
            fastapi.name = "Python (FastAPI, uvicorn)";
            QVERIFY(session->saveCandidate(fastapi, &error));
        }
        auto session = store::SessionFile::open(file.toStdString(), store::OpenMode::ReadOnly, &error);
        QVERIFY2(session, error.c_str());
        const auto candidates = session->candidates(&error);
        QCOMPARE(candidates.size(), size_t(2));
        QCOMPARE(candidates[0].name, std::string("Go (Gin)"));
        QCOMPARE(candidates[0].notes, std::string("net/http underneath"));
        QCOMPARE(candidates[1].name, std::string("Python (FastAPI, uvicorn)"));
        const auto targets = session->targets(&error);
        QCOMPARE(targets.size(), size_t(1));
        QCOMPARE(targets[0].id, targetId);
        QCOMPARE(targets[0].candidateId, ginId);
        QCOMPARE(targets[0].request.method, std::string("POST"));
        QCOMPARE(targets[0].request.body.size(), size_t(14));
        QCOMPARE(targets[0].request.httpVersion, engine::HttpVersion::Http2);
        QVERIFY(targets[0].request.insecure);
        QCOMPARE(targets[0].request.requestTimeout, engine::Micros(2500ms));
        QCOMPARE(targets[0].request.headers.size(), size_t(2));
        QCOMPARE(targets[0].request.headers[0].value, std::string()); // withheld
        QCOMPARE(targets[0].request.headers[1].value, std::string("application/json"));
        QCOMPARE(targets[0].serverCommand, std::string("exec ./server --port 8080"));
        QCOMPARE(targets[0].serverPid, int64_t(0));
        const auto profiles = session->profiles(&error);
        QCOMPARE(profiles.size(), size_t(3));
        QVERIFY(profiles[1].load.openModel);
        QCOMPARE(profiles[1].load.stages.size(), size_t(3));
        QCOMPARE(profiles[1].load.stages[1].target, 1000.0);
        QCOMPARE(profiles[1].load.stages[1].duration, engine::Micros(30s));
        QCOMPARE(profiles[2].load.rate, 500.0);
        QVERIFY(engine::isOpenModel(profiles[2].load));
        QVERIFY(!engine::isOpenModel(profiles[0].load));
        QCOMPARE(profiles[0].load.connections, 1000);
        QCOMPARE(profiles[0].load.warmup, engine::Micros(5s));
        QCOMPARE(profiles[0].load.thresholds, (std::vector<std::string>{"p99<50ms", "errors<1%"}));
        QVERIFY(profiles[1].load.thresholds.empty());
        QCOMPARE(session->decisionModel().value("template").toString(), QStringLiteral("go-vs-python"));
        const auto scores = session->scores(&error);
        QCOMPARE(scores.size(), size_t(2));
        QCOMPARE(scores[1].value, 5.0);
        QCOMPARE(session->uiState("selected_runs").toArray(), (QJsonArray{3, 4}));
        QCOMPARE(session->uiState("chart_log_scale").toBool(), true);
        QVERIFY(session->uiState("missing").isUndefined() || session->uiState("missing").isNull());
    }

    void badFilesAreRefusedUntouched_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("message");
        QTest::newRow("not SQLite") << "text" << "not a Benchdeck session (not an SQLite database)";
        QTest::newRow("empty") << "empty" << "is empty";
        QTest::newRow("foreign SQLite") << "foreign" << "an SQLite database but not a Benchdeck session";
        QTest::newRow("truncated") << "truncated" << "damaged Benchdeck session (truncated";
        QTest::newRow("corrupted pages") << "corrupted" << "damaged Benchdeck session";
        QTest::newRow("newer schema") << "newer" << "written by a newer Benchdeck (session schema 99";
        QTest::newRow("right id, no tables") << "hollow" << "its tables are missing";
        QTest::newRow("read-only file") << "readonly-file" << "is read-only (the file cannot be written)";
        QTest::newRow("read-only folder") << "readonly-folder" << "is read-only (its folder cannot be written)";
    }

    void badFilesAreRefusedUntouched()
    {
        QFETCH(QString, kind);
        QFETCH(QString, message);
        QTemporaryDir folder;
        const QString file = folder.filePath(QStringLiteral("bad.benchdeck"));
        if (kind == QLatin1String("text")) {
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("#!/bin/sh\necho this is a shell script, not a session\n" + QByteArray(200, 'x'));
        } else if (kind == QLatin1String("empty")) {
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly));
        } else if (kind == QLatin1String("hollow")) {
            QVERIFY(createFromSql(file, "PRAGMA application_id = " + QByteArray::number(store::kApplicationId) +
                                            "; PRAGMA user_version = 1; CREATE TABLE notes(text TEXT);"));
        } else if (kind == QLatin1String("foreign")) {
            QVERIFY(createFromSql(file, "CREATE TABLE contacts(name TEXT); INSERT INTO contacts VALUES('ada');"));
        } else {
            QVERIFY(QFile::copy(makeSession("source.benchdeck"), file));
            QFile::remove(path("source.benchdeck"));
            QFile f(file);
            if (kind == QLatin1String("truncated")) {
                QVERIFY(f.resize(f.size() / 2 - 1000));
            } else if (kind == QLatin1String("corrupted")) {
                QVERIFY(f.open(QIODevice::ReadWrite));
                const qint64 pageSize = 4096;
                for (qint64 page = 2; page * pageSize < f.size(); page += 2) {
                    f.seek(page * pageSize + 8);
                    f.write(QByteArray(600, char(0xA5)));
                }
            } else if (kind == QLatin1String("newer")) {
                QVERIFY(createFromSql(file, "PRAGMA user_version = 99;"));
            } else if (kind == QLatin1String("readonly-file")) {
                QVERIFY(f.setPermissions(QFileDevice::ReadOwner | QFileDevice::ReadGroup));
            } else if (kind == QLatin1String("readonly-folder")) {
                QVERIFY(::chmod(folder.path().toUtf8().constData(), 0555) == 0);
            }
        }
        const QByteArray before = fileHash(file);
        QVERIFY(!before.isEmpty() || kind == QLatin1String("empty"));
        std::string error;
        const auto session = store::SessionFile::open(file.toStdString(), store::OpenMode::ReadWrite, &error);
        ::chmod(folder.path().toUtf8().constData(), 0755);
        QVERIFY(!session);
        QVERIFY2(QString::fromStdString(error).contains(message), error.c_str());
        QCOMPARE(QString::fromStdString(error).count(QLatin1Char('\n')), 0);
        if (kind == QLatin1String("corrupted")) {
            QVERIFY2(!QString::fromStdString(error).contains(QStringLiteral("truncated")), error.c_str());
        }
        QCOMPARE(fileHash(file), before);
        QVERIFY(!QFile::exists(file + QStringLiteral("-wal")));
        QVERIFY(!QFile::exists(file + QStringLiteral("-journal")));
        if (kind.startsWith(QLatin1String("readonly"))) {
            // Refused for writing, yet still readable: nothing is lost.
            const auto reader = store::SessionFile::open(file.toStdString(), store::OpenMode::ReadOnly, &error);
            QVERIFY2(reader, error.c_str());
            QCOMPARE(reader->listRuns(&error).size(), size_t(2));
            QCOMPARE(fileHash(file), before);
        }
    }

    void missingFileIsRefused()
    {
        std::string error;
        const QString file = path("does-not-exist.benchdeck");
        QVERIFY(!store::SessionFile::open(file.toStdString(), store::OpenMode::ReadOnly, &error));
        QVERIFY(QString::fromStdString(error).startsWith(QStringLiteral("no session file at")));
        QVERIFY(!QFile::exists(file));
    }

    void everySchemaFixtureOpens_data()
    {
        QTest::addColumn<int>("version");
        QTest::addColumn<QString>("label");
        QTest::addColumn<QString>("profile"); // as listed after the upgrade
        // Schema 1 dropped rate, stages and the model from every plan: not guessed, said.
        QTest::newRow("schema 1") << 1 << "fixture-run" << "plan not recorded";
        QTest::newRow("schema 2") << 2 << "fixture-open" << "open model, 200 req/s, 1s";
        QTest::newRow("schema 3") << 3 << "fixture-v3" << "open model, 200 req/s, 1s";
        QTest::newRow("schema 4") << 4 << "fixture-v4" << "open model, 200 req/s, 1s";
        QTest::newRow("schema 5") << 5 << "fixture-v5" << "open model, 200 req/s, 1s";
    }

    void everySchemaFixtureOpens()
    {
        // One fixture per schema version, as that version wrote it; each must open in this build.
        QFETCH(int, version);
        QFETCH(QString, label);
        QFETCH(QString, profile);
        QCOMPARE(int(store::migrations().size()), store::kSchemaVersion - 1);
        const QString name = QStringLiteral("session-v%1").arg(version);
        QFile sql(QStringLiteral(BENCHDECK_FIXTURES "/") + name + QStringLiteral(".sql"));
        QVERIFY(sql.open(QIODevice::ReadOnly));
        const QString file = dir_.filePath(name + QStringLiteral(".benchdeck"));
        QVERIFY(createFromSql(file, sql.readAll()));
        std::string error;
        const QByteArray before = fileHash(file);
        {
            // Read-only: read as it is, never upgraded, never written.
            auto reader = store::SessionFile::open(file.toStdString(), store::OpenMode::ReadOnly, &error);
            QVERIFY2(reader, error.c_str());
            QCOMPARE(reader->schemaVersion(), version);
            const auto runs = reader->listRuns(&error);
            QCOMPARE(runs.size(), size_t(1));
            QCOMPARE(QString::fromStdString(runs[0].profile), profile);
            const auto run = reader->loadRun(runs[0].id, &error);
            QVERIFY2(run, error.c_str());
            QCOMPARE(run->result.total.unansweredAtEnd, uint64_t(0)); // not recorded before schema 3
        }
        QCOMPARE(fileHash(file), before);
        auto session = store::SessionFile::open(file.toStdString(), store::OpenMode::ReadWrite, &error);
        QVERIFY2(session, error.c_str());
        QCOMPARE(session->schemaVersion(), store::kSchemaVersion);
        // The upgrade wrote a copy of the file as it was beside it first, and that copy is the old session.
        const QString backup = QString::fromStdString(session->migrationBackup());
        QCOMPARE(backup, file + QStringLiteral(".schema-%1.bak").arg(version));
        {
            auto old = store::SessionFile::open(backup.toStdString(), store::OpenMode::ReadOnly, &error);
            QVERIFY2(old, error.c_str());
            QCOMPARE(old->schemaVersion(), version);
            QCOMPARE(old->listRuns(&error).size(), size_t(1));
        }
        const auto runs = session->listRuns(&error);
        QCOMPARE(runs.size(), size_t(1));
        QCOMPARE(QString::fromStdString(runs[0].label), label);
        QCOMPARE(runs[0].status, std::string("completed"));
        QCOMPARE(QString::fromStdString(runs[0].profile), profile);
        const auto run = session->loadRun(runs[0].id, &error);
        QVERIFY2(run, error.c_str());
        QCOMPARE(run->planRecorded, version >= 2);
        QVERIFY(run->result.total.latency.count() > 0);
        QCOMPARE(run->result.total.latency.count(), run->result.total.requests);
        QCOMPARE(run->secretsWithheld, version == 1);
        // Schedule figures were not stored before schema 3: the run says nothing rather than zeros.
        QCOMPARE(run->result.schedule.openModel, version >= 3);
        QVERIFY(run->listing.note.empty() && !run->listing.baseline); // annotations came with schema 4
        QVERIFY(!run->result.summary.isScenario()); // scenario runs came with schema 6
        // Targets from before schema 5 carry one stream per connection and trust only the system's CAs;
        // a target saved after the upgrade keeps both settings.
        auto targets = session->targets(&error);
        for (const auto& target : targets) {
            QCOMPARE(target.request.streams, 1);
            QVERIFY(target.request.caCertFile.empty());
        }
        if (version == 4) {
            QCOMPARE(targets.size(), size_t(1));
            QCOMPARE(targets[0].request.httpVersion, engine::HttpVersion::Http2);
            targets[0].request.streams = 10;
            targets[0].request.caCertFile = "/etc/ssl/certs/ca-certificates.crt";
            QVERIFY2(session->saveTarget(targets[0], false, &error), error.c_str());
            const auto saved = session->targets(&error);
            QCOMPARE(saved[0].request.streams, 10);
            QCOMPARE(saved[0].request.caCertFile, std::string("/etc/ssl/certs/ca-certificates.crt"));
        }
        // A run recorded after the upgrade keeps them.
        QVERIFY(recordRun(*session, target_.port(), "after upgrade") > 0);
        session.reset();
        // A second open finds nothing to upgrade and writes no second backup.
        auto again = store::SessionFile::open(file.toStdString(), store::OpenMode::ReadWrite, &error);
        QVERIFY2(again, error.c_str());
        QVERIFY(again->migrationBackup().empty());
        QVERIFY(!QFile::exists(file + QStringLiteral(".schema-%1.2.bak").arg(version)));
        QCOMPARE(again->listRuns(&error).size(), size_t(2));
    }

    void runsAreAnnotatedAndDeletedWithUndo()
    {
        std::string error;
        const QString file = makeSession("manage.benchdeck");
        int64_t a = 0;
        int64_t b = 0;
        size_t seriesOfA = 0;
        {
            auto session = store::SessionFile::open(file.toStdString(), store::OpenMode::ReadWrite, &error);
            QVERIFY2(session, error.c_str());
            auto runs = session->listRuns(&error);
            QCOMPARE(runs.size(), size_t(2));
            a = runs[0].id;
            b = runs[1].id;
            seriesOfA = session->loadRun(a, &error)->result.series.size();
            QVERIFY(seriesOfA > 0);
            QVERIFY2(session->setRunLabel(a, "Gin, tuned", &error), error.c_str());
            QVERIFY2(session->setRunNote(a, "GOMAXPROCS=2", &error), error.c_str());
            QVERIFY2(session->setBaselineRun(a, &error), error.c_str());
            QVERIFY2(session->setBaselineRun(b, &error), error.c_str()); // one baseline at a time
            runs = session->listRuns(&error);
            QCOMPARE(runs[0].label, std::string("Gin, tuned"));
            QCOMPARE(runs[0].note, std::string("GOMAXPROCS=2"));
            QVERIFY(!runs[0].baseline && runs[1].baseline);
            QVERIFY(!session->setRunNote(9999, "x", &error));
            QCOMPARE(QString::fromStdString(error), QStringLiteral("no run 9999 in '%1'").arg(file));

            // Deleted: gone from the list and from loading, but restorable while the session is open.
            QVERIFY2(session->deleteRun(a, &error), error.c_str());
            QCOMPARE(session->listRuns(&error).size(), size_t(1));
            QVERIFY(!session->loadRun(a, &error));
            QVERIFY(!session->setRunLabel(a, "x", &error)); // a deleted run is not edited
            {
                auto reader = store::SessionFile::open(file.toStdString(), store::OpenMode::ReadOnly, &error);
                QVERIFY2(reader, error.c_str());
                QCOMPARE(reader->listRuns(&error).size(), size_t(1)); // another reader does not see it either
            }
            QVERIFY2(session->restoreRun(a, &error), error.c_str());
            const auto restored = session->loadRun(a, &error);
            QVERIFY2(restored, error.c_str());
            QCOMPARE(restored->result.series.size(), seriesOfA);
            QCOMPARE(restored->listing.note, std::string("GOMAXPROCS=2"));
            QVERIFY(!session->restoreRun(a, &error)); // only a deleted run can come back
            QVERIFY(session->saveUiState("decision_runs", QJsonArray{double(a), double(b)}, &error));
            QVERIFY2(session->deleteRun(a, &error), error.c_str());
            // Save As passes no deleted run on, and replaces a file only when nobody has it open.
            const QString copy = path("manage-copy.benchdeck");
            QVERIFY2(store::saveCopyReplacing(*session, copy.toStdString(), &error), error.c_str());
            {
                auto other = store::SessionFile::open(copy.toStdString(), store::OpenMode::ReadWrite, &error);
                QVERIFY2(other, error.c_str());
                QVERIFY(!store::saveCopyReplacing(*session, copy.toStdString(), &error));
                QVERIFY2(QString::fromStdString(error).contains(QStringLiteral("open in another Benchdeck")), error.c_str());
            }
            QVERIFY(!store::saveCopyReplacing(*session, file.toStdString(), &error)); // its own file
            sqlite3* copied = nullptr;
            QCOMPARE(sqlite3_open_v2(copy.toUtf8().constData(), &copied, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
            sqlite3_stmt* rows = nullptr;
            sqlite3_prepare_v2(copied, "SELECT count(*) FROM runs", -1, &rows, nullptr);
            QCOMPARE(sqlite3_step(rows), SQLITE_ROW);
            QCOMPARE(sqlite3_column_int64(rows, 0), sqlite3_int64(1));
            sqlite3_finalize(rows);
            sqlite3_close(copied);
        }
        // Closed: the deletion is final, series and all.
        auto session = store::SessionFile::open(file.toStdString(), store::OpenMode::ReadWrite, &error);
        QVERIFY2(session, error.c_str());
        QCOMPARE(session->listRuns(&error).size(), size_t(1));
        QVERIFY(!session->restoreRun(a, &error));
        // The decision table no longer names the deleted run, whose id a later run may take.
        QCOMPARE(session->uiState("decision_runs").toArray(), (QJsonArray{double(b)}));
        session.reset();
        sqlite3* raw = nullptr;
        QCOMPARE(sqlite3_open_v2(file.toUtf8().constData(), &raw, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
        sqlite3_stmt* count = nullptr;
        sqlite3_prepare_v2(raw, "SELECT (SELECT count(*) FROM runs WHERE id = ?1) + "
                                "(SELECT count(*) FROM run_series WHERE run_id = ?1)", -1, &count, nullptr);
        sqlite3_bind_int64(count, 1, a);
        QCOMPARE(sqlite3_step(count), SQLITE_ROW);
        QCOMPARE(sqlite3_column_int64(count, 0), sqlite3_int64(0));
        sqlite3_finalize(count);
        sqlite3_close(raw);
    }

    void saveAsCopiesEverything()
    {
        std::string error;
        const QString original = makeSession("original.benchdeck");
        auto session = store::SessionFile::open(original.toStdString(), store::OpenMode::ReadWrite, &error);
        QVERIFY2(session, error.c_str());
        const QString copy = path("copy.benchdeck");
        QVERIFY2(session->saveAs(copy.toStdString(), &error), error.c_str());
        auto reopened = store::SessionFile::open(copy.toStdString(), store::OpenMode::ReadOnly, &error);
        QVERIFY2(reopened, error.c_str());
        const auto a = session->listRuns(&error);
        const auto b = reopened->listRuns(&error);
        QCOMPARE(b.size(), a.size());
        for (size_t i = 0; i < a.size(); ++i) {
            QCOMPARE(b[i].requests, a[i].requests);
            QCOMPARE(b[i].p99Micros, a[i].p99Micros);
        }
        QVERIFY(!QFile::exists(copy + QStringLiteral("-wal")));
    }

    void killedRunBecomesInterruptedAndKeepsItsSeries()
    {
        const QString file = makeSession("killed.benchdeck");
        const QByteArray url = QByteArrayLiteral("http://127.0.0.1:") + QByteArray::number(target_.port()) + "/";
        QProcess run;
        run.start(QStringLiteral(BENCHDECK_CLI_PATH), {QStringLiteral("run"), QString::fromLatin1(url), "-d", "30s",
                                                       "-c", "2", "-t", "1", "--session", file, "--label", "killed"});
        QVERIFY(run.waitForStarted());
        // Killed once two seconds are on disk, however long the start took on a busy machine.
        const auto secondsRecorded = [&] {
            std::string e;
            auto s = store::SessionFile::open(file.toStdString(), store::OpenMode::ReadOnly, &e);
            const auto listed = s ? s->listRuns(&e) : std::vector<store::RunListing>{};
            if (listed.size() < 3) {
                return size_t(0);
            }
            const auto r = s->loadRun(listed[2].id, &e);
            return r ? r->result.series.size() : size_t(0);
        };
        QTRY_VERIFY_WITH_TIMEOUT(secondsRecorded() >= 2, 30000);
        ::kill(pid_t(run.processId()), SIGKILL);
        QVERIFY(run.waitForFinished(5000));

        std::string error;
        {
            // A reader sees the dead writer's run as interrupted, and changes nothing to say so.
            const QByteArray before = fileHash(file);
            auto reader = store::SessionFile::open(file.toStdString(), store::OpenMode::ReadOnly, &error);
            QVERIFY2(reader, error.c_str());
            const auto listed = reader->listRuns(&error);
            QCOMPARE(listed.size(), size_t(3));
            QCOMPARE(listed[2].status, std::string("interrupted"));
            QCOMPARE(reader->loadRun(listed[2].id, &error)->listing.status, std::string("interrupted"));
            reader.reset();
            QCOMPARE(fileHash(file), before);
            const auto cli = runCli({"runs", file});
            QCOMPARE(cli.exitCode, 0);
            QVERIFY2(cli.out.contains(QStringLiteral("interrupted")) && !cli.out.contains(QStringLiteral("running")),
                     qPrintable(cli.out));
            QCOMPARE(fileHash(file), before);
        }
        auto session = store::SessionFile::open(file.toStdString(), store::OpenMode::ReadWrite, &error);
        QVERIFY2(session, error.c_str());
        QCOMPARE(session->interruptedOnOpen(), 1);
        const auto runs = session->listRuns(&error);
        QCOMPARE(runs.size(), size_t(3));
        QCOMPARE(runs[0].status, std::string("completed"));
        QCOMPARE(runs[1].status, std::string("completed"));
        QVERIFY(runs[0].requests > 0 && runs[1].requests > 0);
        QCOMPARE(runs[2].status, std::string("interrupted"));
        const auto killed = session->loadRun(runs[2].id, &error);
        QVERIFY2(killed, error.c_str());
        QVERIFY2(killed->result.series.size() >= 2, qPrintable(QString::number(killed->result.series.size())));
        QVERIFY(killed->result.total.requests > 0);
        QCOMPARE(killed->result.total.latency.count(), killed->result.total.requests); // histograms survive too
        QVERIFY(runs[2].requests > 0);
    }

    void readerSeesARunBeingWritten()
    {
        const QString file = path("concurrent.benchdeck");
        const QByteArray url = QByteArrayLiteral("http://127.0.0.1:") + QByteArray::number(target_.port()) + "/";
        QProcess run;
        run.start(QStringLiteral(BENCHDECK_CLI_PATH), {QStringLiteral("run"), QString::fromLatin1(url), "-d", "3s",
                                                       "-c", "2", "-t", "1", "--session", file});
        QVERIFY(run.waitForStarted());
        const auto firstSecondRecorded = [&] {
            std::string e;
            auto s = store::SessionFile::open(file.toStdString(), store::OpenMode::ReadOnly, &e);
            const auto listed = s ? s->listRuns(&e) : std::vector<store::RunListing>{};
            const auto r = listed.empty() ? std::nullopt : s->loadRun(listed[0].id, &e);
            return r && !r->result.series.empty();
        };
        QTRY_VERIFY_WITH_TIMEOUT(firstSecondRecorded(), 30000);
        std::string error;
        size_t seenWhileRunning = 0;
        {
            // Another process is recording: a reader opens safely and must not call its run interrupted.
            auto reader = store::SessionFile::open(file.toStdString(), store::OpenMode::ReadOnly, &error);
            QVERIFY2(reader, error.c_str());
            const auto runs = reader->listRuns(&error);
            QCOMPARE(runs.size(), size_t(1));
            QCOMPARE(runs[0].status, std::string("running"));
            seenWhileRunning = reader->loadRun(runs[0].id, &error)->result.series.size();
            QVERIFY(seenWhileRunning >= 1);
            auto writer = store::SessionFile::open(file.toStdString(), store::OpenMode::ReadWrite, &error);
            QVERIFY2(writer, error.c_str());
            QCOMPARE(writer->interruptedOnOpen(), 0);
        }
        QVERIFY(run.waitForFinished(10000));
        QCOMPARE(run.exitCode(), 0);
        auto reader = store::SessionFile::open(file.toStdString(), store::OpenMode::ReadOnly, &error);
        const auto runs = reader->listRuns(&error);
        QCOMPARE(runs[0].status, std::string("completed"));
        QVERIFY(reader->loadRun(runs[0].id, &error)->result.series.size() > seenWhileRunning);
        QVERIFY(!QFile::exists(file + QStringLiteral("-wal"))); // the last one out folds the WAL back in
    }
};

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"
