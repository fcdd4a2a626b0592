// SPDX-License-Identifier: Apache-2.0
// How long a large session takes to open and list: the history sidebar must feel instant.
// Builds a session with N runs (default 1,000) of realistic shape (30 one-second intervals, each
// with its own latency histogram), then times open + list, median of 7. Not a test: run it by hand.
//   build/bench/session-open-bench [RUNS]
#include "metrics/histogram_codec.h"
#include "store/session_file.h"

#include <QTemporaryDir>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>

using namespace benchdeck;

int main(int argc, char** argv)
{
    const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 1000;
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("big.benchdeck")).toStdString();
    std::string error;
    std::mt19937_64 rng(42);
    std::lognormal_distribution<double> latency(std::log(2000.0), 0.6);
    {
        auto session = store::SessionFile::open(path, store::OpenMode::CreateOrOpen, &error);
        if (!session) {
            std::fprintf(stderr, "%s\n", error.c_str());
            return 1;
        }
        engine::RunConfig config;
        config.url = "http://127.0.0.1:8080/json";
        config.connections = 100;
        config.duration = std::chrono::seconds(30);
        for (int r = 0; r < runs; ++r) {
            config.label = "run " + std::to_string(r);
            const auto id = session->beginRun(config, false, &error);
            metrics::RunResult result;
            for (int t = 1; t <= 30; ++t) {
                metrics::MetricsSlice second;
                for (int i = 0; i < 2000; ++i) {
                    second.recordResponse(200, int64_t(latency(rng)));
                }
                const auto record = metrics::summarizeInterval(second, t, 1.0, 40.0);
                session->appendInterval(*id, record, metrics::encodeHistogram(second.latency), &error);
                result.total.merge(second);
                result.series.push_back(record);
            }
            result.durationSeconds = 30;
            result.finishedAt = std::chrono::system_clock::now();
            if (!session->finishRun(*id, result, &error)) {
                std::fprintf(stderr, "%s\n", error.c_str());
                return 1;
            }
        }
    }
    std::vector<double> millis;
    size_t listed = 0;
    for (int i = 0; i < 7; ++i) {
        const auto start = std::chrono::steady_clock::now();
        auto session = store::SessionFile::open(path, store::OpenMode::ReadOnly, &error);
        listed = session ? session->listRuns(&error).size() : 0;
        millis.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(millis.begin(), millis.end());
    QFile file(QString::fromStdString(path));
    std::printf("session with %zu runs (%.1f MiB): open + list median %.1f ms (min %.1f, max %.1f; budget 300 ms)\n",
                listed, double(file.size()) / 1048576.0, millis[millis.size() / 2], millis.front(), millis.back());
    return listed == size_t(runs) ? 0 : 1;
}
