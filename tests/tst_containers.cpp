// SPDX-License-Identifier: Apache-2.0
// Scale-out in containers, for real: installers/container/build.sh builds the agent image with podman
// from a debootstrapped Debian 12 base, installers/container/shards.sh starts three agents as a
// Kubernetes Indexed Job would (JOB_COMPLETION_INDEX, one results volume, one start time) against a
// calibration target on this host, and merges them. The result must be what tst_shards asks of
// processes. Skipped, with the reason, where podman cannot run a container (no podman, not root, a
// chroot without cgroups). Load goes to 127.0.0.1 only (the containers share the host's network) and
// is bounded by a request count.
#include "shard_results.h"
#include "target/target_server.h"

#include <QDir>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace std::chrono_literals;

namespace {

struct Outcome {
    int exitCode = -1;
    QString output;
};

Outcome runTool(const QString& program, const QStringList& arguments, const QProcessEnvironment& environment,
                int timeoutMs)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(program, arguments);
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return {-1, QString::fromUtf8(process.readAll()) + QStringLiteral("\n(timed out)")};
    }
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2, QString::fromUtf8(process.readAll())};
}

// Why podman cannot run a container here, or an empty string when it can: a two-file image (dash
// and its C library) is imported and started with the same flags the scripts use.
QString whyContainersCannotRun(const QTemporaryDir& dir)
{
#ifdef BENCHDECK_SANITIZED_BUILD
    return QStringLiteral("this build's benchdeck-cli is sanitizer-instrumented and needs libasan and libubsan, "
                          "which the agent image does not carry; the regular build runs this test");
#endif
    if (QStandardPaths::findExecutable(QStringLiteral("podman")).isEmpty()) {
        return QStringLiteral("podman is not installed (scripts/deps.sh installs it)");
    }
    if (::geteuid() != 0) {
        return QStringLiteral("the container scripts need root (debootstrap, rootful podman)");
    }
    const QString root = dir.filePath(QStringLiteral("probe-root"));
    for (const char* folder : {"bin", "lib/x86_64-linux-gnu", "lib64"}) {
        QDir().mkpath(root + QLatin1Char('/') + QLatin1String(folder));
    }
    for (const auto& [from, to] : {std::pair{"/bin/dash", "bin/sh"},
                                   std::pair{"/lib/x86_64-linux-gnu/libc.so.6", "lib/x86_64-linux-gnu/libc.so.6"},
                                   std::pair{"/lib64/ld-linux-x86-64.so.2", "lib64/ld-linux-x86-64.so.2"}}) {
        if (!QFile::copy(QLatin1String(from), root + QLatin1Char('/') + QLatin1String(to))) {
            return QStringLiteral("cannot make the probe image (%1)").arg(QLatin1String(from));
        }
    }
    QFile(root + QStringLiteral("/bin/sh")).setPermissions(QFileDevice::ExeOwner | QFileDevice::ReadOwner);
    const auto environment = QProcessEnvironment::systemEnvironment();
    const QString script = QStringLiteral(
        "set -e; source '%1/podman_flags.sh'; tar -C '%2' -c . | \"${benchdeck_podman[@]}\" import --quiet - "
        "localhost/benchdeck-probe:1 >/dev/null; \"${benchdeck_podman[@]}\" run --rm --network host "
        "\"${benchdeck_run_flags[@]}\" localhost/benchdeck-probe:1 /bin/sh -c 'echo container-ok'")
                               .arg(QStringLiteral(BENCHDECK_SOURCE_DIR "/installers/container"), root);
    const auto probe = runTool(QStringLiteral("/bin/bash"), {QStringLiteral("-c"), script}, environment, 120000);
    if (probe.exitCode != 0 || !probe.output.contains(QStringLiteral("container-ok"))) {
        return QStringLiteral("podman cannot run a container here: ") + probe.output.trimmed().right(300);
    }
    return {};
}

} // namespace

class TestContainers : public QObject {
    Q_OBJECT

private slots:
    void threeAgentContainersMergeIntoOneRun()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        if (const QString why = whyContainersCannotRun(dir); !why.isEmpty()) {
            QSKIP(qPrintable(why));
        }
        auto environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("BENCHDECK_CLI"), QStringLiteral(BENCHDECK_CLI_PATH));
        // The debootstrapped base is kept between runs (a minute to make, a second to reuse).
        const QString cache = environment.value(QStringLiteral("BENCHDECK_CONTAINER_CACHE"),
                                                QStringLiteral("/var/cache/benchdeck-container"));
        const auto built = runTool(QStringLiteral(BENCHDECK_SOURCE_DIR "/installers/container/build.sh"),
                                   {QStringLiteral("--cache"), cache}, environment, 15 * 60 * 1000);
        QVERIFY2(built.exitCode == 0, qPrintable(built.output));

        benchdeck::target::TargetOptions options;
        options.delay = 20ms;
        options.threads = 1;
        benchdeck::target::TargetServer target(options);
        std::string error;
        QVERIFY2(target.start(&error), error.c_str());

        const QString results = dir.filePath(QStringLiteral("results"));
        const QString runId = QStringLiteral("ctest-%1").arg(::getpid());
        environment.insert(QStringLiteral("RESULTS"), results);
        environment.insert(QStringLiteral("RUN_ID"), runId);
        environment.insert(QStringLiteral("LABEL"), QStringLiteral("three containers"));
        const auto ran = runTool(QStringLiteral(BENCHDECK_SOURCE_DIR "/installers/container/shards.sh"),
                                 {QStringLiteral("3"), QStringLiteral("http://127.0.0.1:%1/").arg(target.port()),
                                  QStringLiteral("-n"), QStringLiteral("3000"), QStringLiteral("-c"), QStringLiteral("12"),
                                  QStringLiteral("-t"), QStringLiteral("1")},
                                 environment, 5 * 60 * 1000);
        QVERIFY2(ran.exitCode == 0, qPrintable(ran.output));
        QVERIFY2(ran.output.contains(QStringLiteral("Merged 3 shards")), qPrintable(ran.output));

        const QString runDir = results + QLatin1Char('/') + runId;
        const QStringList files{runDir + QStringLiteral("/shard-1.json"), runDir + QStringLiteral("/shard-2.json"),
                                runDir + QStringLiteral("/shard-3.json")};
        const auto checked = checkMergedShards(files, runDir + QStringLiteral("/merged.benchdeck"), 1000);
        QVERIFY2(checked.failure.isEmpty(), qPrintable(checked.failure + ran.output));
        QCOMPARE(checked.requests, qint64(3000));
        QCOMPARE(checked.merged->listing.label, std::string("three containers"));
        // Every answer was held 20 ms by the target: a unit or weighting error in the container path
        // would show here.
        const auto& latency = checked.merged->result.total.latency;
        QVERIFY2(double(latency.min()) >= 0.98 * 20000, qPrintable(QString::number(latency.min())));
        QVERIFY(latency.valueAtPercentile(99) >= latency.valueAtPercentile(50));
        // Each agent knew its index from JOB_COMPLETION_INDEX, as on a cluster.
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(readJsonFile(files.at(i)).value(QStringLiteral("shardPlan")).toObject().value(QStringLiteral("connections")).toInt(), 4);
        }
    }
};

QTEST_GUILESS_MAIN(TestContainers)
#include "tst_containers.moc"
