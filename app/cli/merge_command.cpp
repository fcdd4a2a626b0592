// SPDX-License-Identifier: Apache-2.0
// benchdeck-cli merge: the result files of a plan's shards (run --shard I/N --out FILE) as one run in a
// session. docs/scale-out.md.
#include "cli_support.h"
#include "commands.h"

#include "metrics/histogram_codec.h"
#include "report/run_text.h"
#include "scaleout/shard.h"
#include "store/session_file.h"

#include <cstdio>

namespace benchdeck::cli {
namespace {

const QString kMergeHelp = QStringLiteral(R"(
Each FILE is the --out file of one shard (benchdeck-cli run URL ... --shard I/N --out FILE). All must come
from the same plan (same fingerprint) and together hold every shard 1..N exactly once; otherwise nothing is
stored and the reason is printed (exit 2). Counts are summed, histograms merged (percentiles are those of
all requests of all shards), the series is aligned by wall-clock second, the duration is the longest shard's.

Example:
  benchdeck-cli merge results/shard-*.json --session scaleout.benchdeck --label '3 agents'
)");

} // namespace

int mergeCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Merge the result files of a plan's shards into one run "
                                                    "stored in a session."));
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Shard result files (run --out)."),
                                 QStringLiteral("FILE..."));
    parser.addOption(QCommandLineOption({QStringLiteral("session")},
                                        QStringLiteral("Store the merged run in this session file (created if "
                                                       "missing)."),
                                        QStringLiteral("FILE")));
    parser.addOption(QCommandLineOption({QStringLiteral("label")}, QStringLiteral("A name for the merged run."),
                                        QStringLiteral("NAME")));
    if (!parseArguments(parser, arguments, kMergeHelp)) {
        return ExitUsage;
    }
    const QStringList files = parser.positionalArguments();
    if (files.isEmpty()) {
        return usageError("merge needs the shard result files, e.g. benchdeck-cli merge a.json b.json --session S");
    }
    if (!parser.isSet(QStringLiteral("session")) || parser.value(QStringLiteral("session")).isEmpty()) {
        return usageError("merge needs --session FILE to store the merged run in");
    }
    std::string error;
    std::vector<scaleout::ShardResult> shards;
    for (const QString& file : files) {
        auto shard = scaleout::readShardResult(file, &error);
        if (!shard) {
            return usageError(error);
        }
        shards.push_back(std::move(*shard));
    }
    auto merged = scaleout::mergeShards(shards, &error);
    if (!merged) {
        return usageError(error);
    }
    auto& plan = merged->plan;
    if (parser.isSet(QStringLiteral("label"))) {
        plan.label = parser.value(QStringLiteral("label")).toStdString();
    }
    // The plan as a whole ran: every shard's connections and threads together.
    plan.connections = merged->result.connections > 0 ? merged->result.connections : plan.connections;
    plan.threads = merged->result.threads;

    auto session = store::SessionFile::open(parser.value(QStringLiteral("session")).toStdString(),
                                            store::OpenMode::CreateOrOpen, &error);
    if (!session) {
        return usageError(error);
    }
    if (!session->migrationBackup().empty()) {
        std::fprintf(stderr, "benchdeck-cli: upgraded %s to the current session format; the original is kept as %s\n",
             session->path().c_str(), session->migrationBackup().c_str());
    }
    // Credential values never reached the shard files unless the agents kept them; what is left is stored.
    const auto runId = session->beginRun(plan, false, &error);
    if (!runId) {
        return usageError(error);
    }
    for (const auto& second : merged->series) {
        if (!session->appendInterval(*runId, second.interval, metrics::encodeHistogram(second.latency), &error)) {
            std::fprintf(stderr, "benchdeck-cli: %s\n", error.c_str());
            return ExitFailure;
        }
    }
    if (!session->finishRun(*runId, merged->result, &error)) {
        std::fprintf(stderr, "benchdeck-cli: %s\n", error.c_str());
        return ExitFailure;
    }
    std::printf("  Merged %lld shards of plan %s\n", static_cast<long long>(shards.size()),
                shards.front().fingerprint.c_str());
    std::fputs(report::runToText(plan, merged->result).c_str(), stdout);
    std::printf("  Stored as run %lld in %s\n", static_cast<long long>(*runId), session->path().c_str());
    std::fflush(stdout);
    return ExitOk;
}

} // namespace benchdeck::cli
