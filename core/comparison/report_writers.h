// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "comparison_report.h"

#include <QJsonObject>

#include <string>
#include <vector>

namespace benchdeck::comparison {

struct NamedChart {
    std::string stem;  // file name without extension, e.g. "throughput"
    std::string title; // alt text
    std::string svg;
};

// The report's charts, drawn once for every format: req/s bars, latency by percentile, and
// throughput and p99 over time.
std::vector<NamedChart> reportCharts(const ComparisonReport& report);

enum class HtmlCharts {
    Inline,     // one self-contained file: SVG in the page (what users open and share)
    ImageFiles, // <img src="STEM.svg"> beside the page (what the PDF renderer lays out)
};
// XHTML-compatible HTML5 with inline CSS and no scripts or remote references; every user string escaped.
std::string toHtml(const ComparisonReport& report, HtmlCharts charts = HtmlCharts::Inline);
// GitHub-flavoured Markdown; charts are referenced as `STEM.svg` files written beside it.
std::string toMarkdown(const ComparisonReport& report, const std::string& chartPrefix);
// One row per run with every summary metric, RFC 4180 quoting.
std::string toCsv(const ComparisonReport& report);
// Everything, machine-readable, with "schema_version".
QJsonObject toJson(const ComparisonReport& report);

std::string escapeHtml(std::string_view text);
std::string escapeMarkdown(std::string_view text);

} // namespace benchdeck::comparison
