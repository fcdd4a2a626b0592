// SPDX-License-Identifier: Apache-2.0
#include "go_vs_python_example.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>

#include <cstdlib>

namespace benchdeck::workflow {
namespace {

// Single quotes, with any single quote inside closed, escaped and reopened: safe for /bin/sh -c.
std::string shellQuoted(const std::string& text)
{
    std::string out = "'";
    for (const char c : text) {
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return out + "'";
}

} // namespace

std::vector<ExampleServer> GoVsPythonExample::availableServers() const
{
    std::vector<ExampleServer> out;
    for (const auto& server : servers) {
        if (server.available) {
            out.push_back(server);
        }
    }
    return out;
}

std::string GoVsPythonExample::launchCommand(const ExampleServer& server, uint16_t port) const
{
    // exec: the launched process is the server itself, so its memory is not the shell's too.
    return "exec " + shellQuoted(folder + "/servers.sh") + " run " + server.name + " " + std::to_string(port);
}

store::Target GoVsPythonExample::target(const ExampleServer& server, uint16_t port) const
{
    store::Target target;
    target.name = "GET /json";
    target.request.url = "http://127.0.0.1:" + std::to_string(port) + "/json";
    target.serverCommand = launchCommand(server, port);
    // What the server is deployed as (servers.sh artifacts NAME): each run measures its size.
    QProcess list;
    list.start(QStringLiteral("/bin/bash"),
               {QString::fromStdString(folder + "/servers.sh"), QStringLiteral("artifacts"), QString::fromStdString(server.name)});
    if (list.waitForFinished(10000) && list.exitStatus() == QProcess::NormalExit && list.exitCode() == 0) {
        for (const QString& path : QString::fromUtf8(list.readAllStandardOutput()).split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            target.artifactPaths.push_back(path.trimmed().toStdString());
        }
    }
    return target;
}

store::Profile GoVsPythonExample::profile(std::chrono::seconds duration) const
{
    store::Profile profile;
    profile.name = "Go vs Python: 50 users, " + std::to_string(duration.count()) + " s";
    profile.load.connections = 50;
    profile.load.threads = 1; // one load thread leaves the other core to the server under test
    profile.load.duration = duration;
    profile.load.warmup = std::chrono::seconds(1);
    return profile;
}

std::optional<std::string> findExamplesFolder()
{
    std::vector<QString> candidates;
    if (const char* env = std::getenv("BENCHDECK_EXAMPLES"); env && *env) {
        candidates.push_back(QString::fromLocal8Bit(env));
    }
#ifdef BENCHDECK_SOURCE_EXAMPLES
    candidates.push_back(QStringLiteral(BENCHDECK_SOURCE_EXAMPLES));
#endif
    candidates.push_back(QStringLiteral("/usr/share/benchdeck/examples"));
    for (const QString& folder : candidates) {
        if (QFileInfo(folder + QStringLiteral("/servers.sh")).isFile()) {
            return QDir(folder).absolutePath().toStdString();
        }
    }
    return std::nullopt;
}

std::optional<GoVsPythonExample> goVsPythonExample(const std::string& folder, std::string* error)
{
    GoVsPythonExample example;
    example.folder = folder;
    example.servers = {{"nethttp", "Go (net/http)", "go"},
                       {"gin", "Go (Gin)", "go"},
                       {"fastapi", "Python (FastAPI)", "python"},
                       {"flask", "Python (Flask)", "python"}};
    QProcess list;
    list.start(QStringLiteral("/bin/bash"), {QString::fromStdString(folder + "/servers.sh"), QStringLiteral("list")});
    if (!list.waitForFinished(10000) || list.exitStatus() != QProcess::NormalExit || list.exitCode() != 0) {
        *error = "'" + folder + "/servers.sh list' did not work: " +
                 QString::fromUtf8(list.readAllStandardError()).trimmed().toStdString();
        return std::nullopt;
    }
    // "NAME  AVAILABLE  STATE" rows: yes or no.
    const QStringList lines = QString::fromUtf8(list.readAllStandardOutput()).split(QLatin1Char('\n'));
    std::vector<std::string> missing;
    for (auto& server : example.servers) {
        for (const QString& line : lines) {
            const QStringList fields = line.split(QLatin1Char(' '), Qt::SkipEmptyParts);
            if (fields.size() >= 2 && fields.at(0).toStdString() == server.name) {
                server.available = fields.at(1) == QLatin1String("yes");
            }
        }
        if (!server.available) {
            missing.push_back(server.candidate);
        }
    }
    if (!missing.empty()) {
        std::string names;
        for (const auto& name : missing) {
            names += (names.empty() ? "" : ", ") + name;
        }
        example.missingAdvice = "Not installed: " + names + ". As root, run '" + folder +
                                "/servers.sh setup': it installs golang-go, the Gin packages, python3-fastapi, "
                                "uvicorn, python3-flask and gunicorn from Debian and builds the Go servers.";
    }
    return example;
}

std::optional<SeededSession> GoVsPythonExample::seed(store::SessionFile& session, std::chrono::seconds duration,
                                                    std::string* error) const
{
    SeededSession seeded;
    uint16_t port = 18110;
    for (const auto& server : availableServers()) {
        store::Candidate candidate{0, server.candidate, server.stack, "examples/servers.sh run " + server.name};
        if (!session.saveCandidate(candidate, error)) {
            return std::nullopt;
        }
        auto serverTarget = target(server, port++);
        serverTarget.candidateId = candidate.id;
        if (!session.saveTarget(serverTarget, false, error)) {
            return std::nullopt;
        }
        seeded.targetIds.push_back(serverTarget.id);
    }
    auto plan = profile(duration);
    if (!session.saveProfile(plan, error)) {
        return std::nullopt;
    }
    seeded.profileId = plan.id;
    return seeded;
}

} // namespace benchdeck::workflow
