#include "run_record.h"

#include "engine/duration.h"
#include "engine/engine.h"

#include <QFile>
#include <QJsonArray>
#include <QSysInfo>

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <thread>

namespace benchdeck::store {

bool isCredentialHeader(std::string_view name)
{
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    static constexpr std::string_view kExact[] = {"authorization", "proxy-authorization", "cookie", "set-cookie"};
    static constexpr std::string_view kParts[] = {"token", "secret", "password", "passwd", "api-key", "apikey",
                                                  "api_key", "session", "auth"};
    if (std::find(std::begin(kExact), std::end(kExact), lower) != std::end(kExact)) {
        return true;
    }
    return std::any_of(std::begin(kParts), std::end(kParts),
                       [&](std::string_view part) { return lower.find(part) != std::string::npos; });
}

QJsonObject planToJson(const engine::RunConfig& config, bool keepSecrets, bool* secretsWithheld)
{
    bool withheld = false;
    QJsonArray headers;
    for (const auto& header : config.headers) {
        QJsonObject entry{{QStringLiteral("name"), QString::fromStdString(header.name)}};
        if (isCredentialHeader(header.name) && !keepSecrets) {
            entry.insert(QStringLiteral("withheld"), true);
            withheld = true;
        } else {
            entry.insert(QStringLiteral("value"), QString::fromStdString(header.value));
        }
        headers.append(entry);
    }
    if (secretsWithheld) {
        *secretsWithheld = withheld;
    }
    return QJsonObject{
        {QStringLiteral("url"), QString::fromStdString(config.url)},
        {QStringLiteral("method"), QString::fromStdString(config.method)},
        {QStringLiteral("headers"), headers},
        {QStringLiteral("body"), QString::fromStdString(config.body)},
        {QStringLiteral("http_version"), config.httpVersion == engine::HttpVersion::Http2 ? "2" : "1.1"},
        {QStringLiteral("insecure"), config.insecure},
        {QStringLiteral("follow_redirects"), config.followRedirects},
        {QStringLiteral("model"), QStringLiteral("closed")},
        {QStringLiteral("connections"), config.connections},
        {QStringLiteral("threads"), engine::effectiveThreads(config)},
        {QStringLiteral("duration_us"), double(config.duration.count())},
        {QStringLiteral("requests"), double(config.requests)},
        {QStringLiteral("warmup_us"), double(config.warmup.count())},
        {QStringLiteral("request_timeout_us"), double(config.requestTimeout.count())},
        {QStringLiteral("connect_timeout_us"), double(config.connectTimeout.count())},
        {QStringLiteral("engine"), QString::fromLatin1(engine::engineKindName(engine::chooseEngine(config)).data())},
    };
}

std::string profileSummary(const engine::RunConfig& config)
{
    std::string text = std::to_string(config.connections) + " connections";
    if (config.duration.count()) {
        text += ", " + engine::formatDuration(config.duration);
    }
    if (config.requests) {
        text += ", " + std::to_string(config.requests) + " requests";
    }
    if (config.warmup.count()) {
        text += ", warm-up " + engine::formatDuration(config.warmup);
    }
    return text;
}

QJsonObject currentEnvironment()
{
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    QString cpuModel;
    QFile cpuinfo(QStringLiteral("/proc/cpuinfo"));
    if (cpuinfo.open(QIODevice::ReadOnly)) {
        for (const QByteArray& line : cpuinfo.readAll().split('\n')) {
            if (line.startsWith("model name")) {
                cpuModel = QString::fromUtf8(line.mid(line.indexOf(':') + 1)).trimmed();
                break;
            }
        }
    }
    return QJsonObject{
        {QStringLiteral("host"), QString::fromLocal8Bit(host)},
        {QStringLiteral("cpu"), cpuModel},
        {QStringLiteral("cores"), int(std::thread::hardware_concurrency())},
        {QStringLiteral("os"), QSysInfo::prettyProductName()},
        {QStringLiteral("kernel"), QSysInfo::kernelVersion()},
        {QStringLiteral("benchdeck"), QStringLiteral(BENCHDECK_VERSION)},
        {QStringLiteral("libcurl"), QString::fromStdString(engine::libcurlVersion())},
        {QStringLiteral("sqlite"), QString::fromLatin1(sqlite3_libversion())},
    };
}

} // namespace benchdeck::store
