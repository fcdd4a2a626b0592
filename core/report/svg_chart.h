// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

// Small, dependency-free SVG charts for the comparison reports (inline in HTML, side files next to
// Markdown, rendered into PDF). The output is a standalone SVG document: no scripts, no external
// references, generic fonts, a fixed palette, every user-supplied string escaped. Output is
// deterministic (same input, same bytes) and independent of the process locale, so reports can be
// checked against golden files.
namespace benchdeck::report {

struct ChartSeries {
    std::string name;
    std::vector<std::pair<double, double>> points; // x, y; drawn in the given order
};

struct BarItem {
    std::string label;
    double value = 0;
};

// Pixel size of the chart (also its viewBox). Clamped to 240x160 .. 8000x8000.
struct ChartStyle {
    int width = 720;
    int height = 360;
};

// Vertical bars, one per item, with the value printed on each bar; y axis from 0 (extended below
// 0 for negative values) with "nice" ticks and the axis title `yTitle` (include the units). Labels
// sit under the bars, truncated with "…" beyond 18 characters (the full label is in a <title>
// tooltip) and slanted when they do not fit side by side. Non-finite values get no bar and "n/a".
std::string barChartSvg(const std::string& title, const std::vector<BarItem>& bars, const std::string& yTitle,
                        ChartStyle style = {});

// One line per series with a legend; linear x and y axes with nice ticks (y includes 0); axis
// titles should carry the units. Points with a non-finite coordinate are skipped; a series with a
// single point is drawn as a dot.
std::string lineChartSvg(const std::string& title, const std::vector<ChartSeries>& series, const std::string& xTitle,
                         const std::string& yTitle, ChartStyle style = {});

// Latency by percentile as HdrHistogram plots it: x is "nines" = -log10(1 - p/100), already
// computed by the caller, from 0 to the largest x in the data rounded up; ticks at whole nines
// labelled 0%, 90%, 99%, 99.9%, ... ; y is latency (say ms) from 0. Points with x < 0 or a
// non-finite coordinate are skipped.
std::string percentileChartSvg(const std::string& title, const std::vector<ChartSeries>& series,
                               const std::string& yTitle, ChartStyle style = {});

// Escapes & < > " ' for XML text and attribute values. Also keeps the result well-formed XML:
// invalid UTF-8 and characters XML 1.0 forbids (control characters other than tab, LF, CR) become
// U+FFFD.
std::string escapeXml(std::string_view text);

} // namespace benchdeck::report
