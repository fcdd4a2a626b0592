// SPDX-License-Identifier: Apache-2.0
#include "run_record.h"

#include "engine/duration.h"
#include "engine/engine.h"

#include <QFile>
#include <QJsonArray>
#include <QSysInfo>

#include <sqlite3.h>
#include <unistd.h>

#include <thread>

namespace benchdeck::store {

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
        {QStringLiteral("openssl"), QString::fromStdString(engine::opensslVersion())},
        {QStringLiteral("nghttp2"), QString::fromStdString(engine::nghttp2Version())},
        {QStringLiteral("sqlite"), QString::fromLatin1(sqlite3_libversion())},
    };
}

} // namespace benchdeck::store
