// SPDX-License-Identifier: Apache-2.0
#include "report/svg_chart.h"

#include <QTest>
#include <QXmlStreamReader>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

using namespace benchdeck::report;

namespace {

// Raw strings and SVG snippets live here, outside the test class: Qt 6.4's moc misreads raw string
// literals inside its member functions.

const char* const kSvgNamespace = "http://www.w3.org/2000/svg";
const char* const kHostile = "<script>alert(1)</script> & \"quotes\" 'n' stuff";
const char* const kHostileEscaped = R"(&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot; &#39;n&#39; stuff)";

struct Parsed {
    bool ok = false;
    QString error;
    QString root;
    QString rootNamespace;
    QString text; // all character data, unescaped, separated by '\n'
    int elements = 0;
};

Parsed parse(const std::string& svg)
{
    Parsed parsed;
    QXmlStreamReader reader(QByteArray::fromStdString(svg));
    while (!reader.atEnd()) {
        reader.readNext();
        if (reader.isStartElement()) {
            if (parsed.elements++ == 0) {
                parsed.root = reader.name().toString();
                parsed.rootNamespace = reader.namespaceUri().toString();
            }
        } else if (reader.isCharacters() && !reader.isWhitespace()) {
            parsed.text += reader.text().toString() + QLatin1Char('\n');
        }
    }
    parsed.ok = !reader.hasError();
    parsed.error = reader.errorString();
    return parsed;
}

int count(const std::string& haystack, const std::string& needle)
{
    int n = 0;
    for (size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + needle.size())) {
        ++n;
    }
    return n;
}

bool contains(const std::string& haystack, const std::string& needle)
{
    return haystack.find(needle) != std::string::npos;
}

// Checks every chart must pass; returns an empty string or what failed.
QString structuralProblems(const std::string& svg)
{
    const Parsed parsed = parse(svg);
    if (!parsed.ok) {
        return QStringLiteral("not well-formed: ") + parsed.error;
    }
    if (parsed.root != QLatin1String("svg") || parsed.rootNamespace != QLatin1String(kSvgNamespace)) {
        return QStringLiteral("root is ") + parsed.root + QStringLiteral(" in ") + parsed.rootNamespace;
    }
    if (!contains(svg, R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox=")") || !contains(svg, R"(role="img")") ||
        !contains(svg, " width=\"") || !contains(svg, " height=\"") || !contains(svg, "<title>")) {
        return QStringLiteral("missing svg attributes or title");
    }
    if (contains(svg, "<script") || contains(svg, "href=\"http") || contains(svg, "href='http") ||
        contains(svg, "url(http") || contains(svg, "@import")) {
        return QStringLiteral("script or external reference");
    }
    if (!contains(svg, R"(font-family="sans-serif")")) {
        return QStringLiteral("no generic font family");
    }
    for (const char* bad : {"nan\"", "nan,", ",nan", "\"nan", ">nan<", "inf\"", "inf,", ",inf", "\"inf", ">inf<"}) {
        if (contains(svg, bad)) {
            return QStringLiteral("non-finite number printed");
        }
    }
    return {};
}

std::vector<BarItem> sampleBars()
{
    return {{"nginx", 12345}, {"caddy", 9876.5}, {"envoy", 1234567}, {"tiny", 0.00123}, {"latte", 12.345}};
}

std::vector<ChartSeries> sampleSeries()
{
    return {{"nginx", {{0, 100}, {1, 120}, {2, 130}, {3, 125}}},
            {kHostile, {{0, 90}, {1, 95}, {2, 110}, {3, 140}}},
            {"caddy", {{0, 50}, {1.5, 80}, {3, 70}}}};
}

std::vector<ChartSeries> samplePercentiles()
{
    std::vector<ChartSeries> series(2);
    series[0].name = "nginx";
    series[1].name = kHostile;
    for (double p : {0.0, 50.0, 75.0, 90.0, 95.0, 99.0, 99.5, 99.9, 99.99, 99.993}) {
        const double nines = -std::log10(1 - p / 100);
        series[0].points.emplace_back(nines, 1.0 + nines * nines);
        series[1].points.emplace_back(nines, 2.0 + nines);
    }
    return series;
}

std::string longLabel()
{
    return "a-really-long-candidate-name-that-overflows";
}

} // namespace

class TestSvgChart : public QObject {
    Q_OBJECT

private slots:
    void escapesXml();
    void barChart();
    void barChartNumbers();
    void barChartLongLabels();
    void barChartNegativeAndNonFinite();
    void lineChart();
    void lineChartSinglePoint();
    void percentileChart();
    void emptyInput();
    void smallCanvas();
    void deterministic();
};

void TestSvgChart::escapesXml()
{
    QCOMPARE(escapeXml(kHostile), std::string(kHostileEscaped));
    QCOMPARE(escapeXml("plain ümlaut \xE2\x80\xA6"), std::string("plain ümlaut \xE2\x80\xA6"));
    QCOMPARE(escapeXml(std::string("a\x01" "b\xFF" "c", 5)), std::string("a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c"));
    QCOMPARE(escapeXml("tab\tnewline\n"), std::string("tab\tnewline\n"));
    QCOMPARE(escapeXml(""), std::string());
}

void TestSvgChart::barChart()
{
    const std::string svg = barChartSvg(kHostile, sampleBars(), "Throughput (req/s)");
    QCOMPARE(structuralProblems(svg), QString());
    QCOMPARE(count(svg, "<rect class=\"bar\""), 5);
    QVERIFY(contains(svg, "Throughput (req/s)"));
    QVERIFY(contains(svg, std::string("<title>") + kHostileEscaped + "</title>"));
    QVERIFY(parse(svg).text.contains(QString::fromUtf8(kHostile)));
    for (const BarItem& bar : sampleBars()) {
        QVERIFY2(contains(svg, ">" + bar.label + "</text>"), bar.label.c_str());
    }
    QVERIFY(parse(svg).text.contains(QLatin1String("\n0\n"))); // the y axis starts at 0
}

void TestSvgChart::barChartNumbers()
{
    const std::string svg = barChartSvg("Numbers", sampleBars(), "req/s");
    QVERIFY(contains(svg, ">12,345</text>"));
    QVERIFY(contains(svg, ">9,877</text>"));
    QVERIFY(contains(svg, ">1.23M</text>"));
    QVERIFY(contains(svg, ">0.00123</text>"));
    QVERIFY(contains(svg, ">12.3</text>"));
    QVERIFY(contains(svg, ">1.5M</text>")); // y ticks with a suffix, the top one above the largest bar

    const std::string small = barChartSvg("Fractions", {{"a", 0.5}, {"b", 0.25}}, "s");
    QCOMPARE(structuralProblems(small), QString());
    QVERIFY(contains(small, ">0.5</text>"));
    QVERIFY(contains(small, ">0.25</text>"));
    QVERIFY(contains(small, ">0.1</text>")); // y ticks step 0.1
}

void TestSvgChart::barChartLongLabels()
{
    std::vector<BarItem> bars;
    for (int i = 0; i < 12; ++i) {
        bars.push_back({longLabel() + "-" + std::to_string(i), 1000.0 * (i + 1)});
    }
    const std::string svg = barChartSvg("Long labels", bars, "req/s");
    QCOMPARE(structuralProblems(svg), QString());
    QCOMPARE(count(svg, "<rect class=\"bar\""), 12);
    QVERIFY(contains(svg, "\xE2\x80\xA6</text>"));                       // truncated with an ellipsis
    QVERIFY(contains(svg, "<g><title>" + longLabel() + "-11</title>")); // full label as a tooltip
    QVERIFY(contains(svg, "rotate(-45"));                                 // slanted to fit

    const std::string few = barChartSvg("Few", {{longLabel(), 1}, {"b", 2}}, "req/s");
    QCOMPARE(structuralProblems(few), QString());
    QVERIFY(contains(few, "<g><title>" + longLabel() + "</title>"));
    QVERIFY(!contains(few, "<g><title>b</title>")); // short labels need no tooltip
}

void TestSvgChart::barChartNegativeAndNonFinite()
{
    const std::string svg = barChartSvg("Delta", {{"up", 25}, {"down", -10}, {"broken", std::nan("")},
                                                  {"infinite", std::numeric_limits<double>::infinity()}},
                                        "Change (%)");
    QCOMPARE(structuralProblems(svg), QString());
    QCOMPARE(count(svg, "<rect class=\"bar\""), 2);
    QVERIFY(contains(svg, ">-10</text>"));
    QCOMPARE(count(svg, ">n/a</text>"), 2);
}

void TestSvgChart::lineChart()
{
    const std::string svg = lineChartSvg("Throughput over time", sampleSeries(), "Time (s)", "Throughput (req/s)");
    QCOMPARE(structuralProblems(svg), QString());
    QCOMPARE(count(svg, "<polyline"), 3);
    QVERIFY(contains(svg, ">Time (s)</text>"));
    QVERIFY(contains(svg, ">Throughput (req/s)</text>"));
    QVERIFY(contains(svg, kHostileEscaped));
    QVERIFY(parse(svg).text.contains(QString::fromUtf8(kHostile)));
    QCOMPARE(count(svg, "stroke=\"#0072b2\""), 2); // legend swatch and line share the first colour
    QCOMPARE(count(svg, "stroke=\"#d55e00\""), 2);

    // Non-finite points are skipped, not printed.
    const std::string gaps = lineChartSvg(
        "Gaps", {{"s", {{0, 1}, {1, std::nan("")}, {std::numeric_limits<double>::infinity(), 2}, {2, 3}}}}, "x", "y");
    QCOMPARE(structuralProblems(gaps), QString());
    QCOMPARE(count(gaps, "<polyline"), 1);
}

void TestSvgChart::lineChartSinglePoint()
{
    const std::string svg = lineChartSvg("One", {{"only", {{5, 42}}}}, "Time (s)", "Latency (ms)");
    QCOMPARE(structuralProblems(svg), QString());
    QCOMPARE(count(svg, "<polyline"), 0);
    QCOMPARE(count(svg, "<circle"), 1);
    QVERIFY(contains(svg, ">only</text>"));

    const std::string percentile = percentileChartSvg("One", {{"only", {{0, 3}}}}, "Latency (ms)");
    QCOMPARE(structuralProblems(percentile), QString());
    QCOMPARE(count(percentile, "<circle"), 1);
    QVERIFY(contains(percentile, ">90%</text>")); // x runs to at least one nine
}

void TestSvgChart::percentileChart()
{
    const std::string svg = percentileChartSvg("Latency by percentile", samplePercentiles(), "Latency (ms)");
    QCOMPARE(structuralProblems(svg), QString());
    QCOMPARE(count(svg, "<polyline"), 2);
    QVERIFY(contains(svg, ">Latency (ms)</text>"));
    QVERIFY(contains(svg, ">Percentile</text>"));
    QVERIFY(contains(svg, kHostileEscaped));
    // The largest x is 4.15 nines: the axis runs to 5, labelled in percent.
    for (const char* label : {">0%<", ">90%<", ">99%<", ">99.9%<", ">99.99%<", ">99.999%<"}) {
        QVERIFY2(contains(svg, label), label);
    }
    QVERIFY(!contains(svg, ">99.9999%<"));
}

void TestSvgChart::emptyInput()
{
    const std::vector<std::string> charts = {
        barChartSvg("Empty", {}, "req/s"),
        lineChartSvg("Empty", {}, "x", "y"),
        lineChartSvg("Empty", {{"no points", {}}}, "x", "y"),
        percentileChartSvg("Empty", {}, "ms"),
        percentileChartSvg("", {{"nan", {{std::nan(""), 1}}}}, "ms"),
    };
    for (const std::string& svg : charts) {
        QCOMPARE(structuralProblems(svg), QString());
        QVERIFY(contains(svg, ">No data</text>"));
        QCOMPARE(count(svg, "<polyline"), 0);
        QCOMPARE(count(svg, "<rect class=\"bar\""), 0);
    }
}

void TestSvgChart::smallCanvas()
{
    const ChartStyle tiny{100, 50}; // clamped to the minimum size
    const std::string bars = barChartSvg(kHostile, sampleBars(), "Throughput (req/s)", tiny);
    QCOMPARE(structuralProblems(bars), QString());
    QVERIFY(contains(bars, R"(viewBox="0 0 240 160")"));
    QCOMPARE(count(bars, "<rect class=\"bar\""), 5);
    const std::string lines = lineChartSvg(kHostile, sampleSeries(), "Time (s)", "Throughput (req/s)", tiny);
    QCOMPARE(structuralProblems(lines), QString());
    QCOMPARE(count(lines, "<polyline"), 3);

    std::vector<ChartSeries> many;
    for (int i = 0; i < 14; ++i) {
        many.push_back({"series " + std::to_string(i), {{0, i}, {1, i + 1}}});
    }
    const std::string crowded = lineChartSvg("Many", many, "x", "y", {480, 300});
    QCOMPARE(structuralProblems(crowded), QString());
    QCOMPARE(count(crowded, "<polyline"), 14);
    QVERIFY(contains(crowded, "stroke-dasharray")); // beyond six series the lines are dashed
}

void TestSvgChart::deterministic()
{
    QCOMPARE(barChartSvg("T", sampleBars(), "req/s"), barChartSvg("T", sampleBars(), "req/s"));
    QCOMPARE(lineChartSvg("T", sampleSeries(), "s", "req/s"), lineChartSvg("T", sampleSeries(), "s", "req/s"));
    QCOMPARE(percentileChartSvg("T", samplePercentiles(), "ms"), percentileChartSvg("T", samplePercentiles(), "ms"));
}

QTEST_GUILESS_MAIN(TestSvgChart)
#include "tst_svg_chart.moc"
