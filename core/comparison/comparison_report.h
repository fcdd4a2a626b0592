#pragma once

#include "decision/decision_model.h"
#include "store/session_file.h"

#include <QJsonObject>

#include <map>
#include <string>
#include <vector>

namespace benchdeck::comparison {

// Everything a comparison report says, gathered once from a session and then written out in any
// format. Writers only format; they compute nothing that the report does not already hold.
struct ComparisonReport {
    std::string title;
    std::string generatedAt; // ISO 8601 UTC
    std::string sessionName;
    QJsonObject environment; // of the first run: host, CPU, cores, OS, versions
    std::vector<store::StoredRun> runs;
    size_t baseline = 0;
    // The decision table: needs x candidates, with the weights behind it.
    std::vector<std::string> candidates;
    std::vector<std::string> needs;
    std::vector<std::vector<decision::Cell>> cells; // [need][candidate]
    std::vector<std::string> criteria;
    std::vector<std::vector<double>> weights; // [criterion][need]
    std::string notes;
};

struct ReportRequest {
    std::vector<int64_t> runIds; // empty: every run of the session, oldest first
    int64_t baselineRunId = 0;   // 0: the first run
    std::string title;
    std::string notes;
    std::string generatedAt; // empty: now; set by tests for byte-stable output
};

std::optional<ComparisonReport> buildReport(const store::SessionFile& session, const ReportRequest& request,
                                            std::string* error);

// One row of the summary table, as every format shows it.
struct SummaryRow {
    std::string name;
    std::string url;
    double rps = 0;
    double meanMs = 0;
    double p50Ms = 0;
    double p90Ms = 0;
    double p99Ms = 0;
    double p999Ms = 0;
    double maxMs = 0;
    uint64_t requests = 0;
    uint64_t errors = 0;
    double errorPercent = 0;
    double rpsRatio = 1;  // against the baseline
    double p99Ratio = 1;
    bool saturated = false;
};
std::vector<SummaryRow> summaryRows(const ComparisonReport& report);
std::string runName(const store::StoredRun& run);

// Plans as run, with every credential header value masked whatever the session kept.
std::vector<std::pair<std::string, std::string>> maskedHeaders(const QJsonObject& plan);

} // namespace benchdeck::comparison
