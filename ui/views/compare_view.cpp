// SPDX-License-Identifier: Apache-2.0
#include "compare_view.h"

#include "chart_helpers.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QCategoryAxis>
#include <QScrollArea>
#include <QComboBox>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

#include <cmath>

namespace benchdeck::ui {
namespace {

const QList<QColor> kPalette = {QColor(0x15, 0x65, 0xc0), QColor(0xc6, 0x28, 0x28), QColor(0x2e, 0x7d, 0x32),
                                QColor(0xef, 0x8f, 0x00), QColor(0x6a, 0x1b, 0x9a), QColor(0x00, 0x83, 0x8f)};

void clearChart(QChart* chart)
{
    chart->removeAllSeries();
    for (auto* axis : chart->axes()) {
        chart->removeAxis(axis);
        delete axis;
    }
}

} // namespace

CompareView::CompareView(QWidget* parent)
    : QWidget(parent)
{
    baseline_ = new QComboBox(this);
    baseline_->setToolTip(tr("The run (or, for repeated runs, the target) the others are compared against"));
    baseline_->setAccessibleName(tr("Baseline"));
    connect(baseline_, &QComboBox::currentIndexChanged, this, [this](int row) { model_.setBaseline(row); });
    saturation_ = new QLabel(this);
    saturation_->setWordWrap(true);
    saturation_->setStyleSheet(QStringLiteral("QLabel { color: #b35c00; font-weight: bold; }"));
    saturation_->hide();
    noiseNote_ = new QLabel(tr("Repeated runs: each row shows medians with their 95% confidence interval in "
                               "brackets. A ratio marked \"within noise\" cannot be told apart from run-to-run "
                               "variation and does not decide a verdict on its own."),
                            this);
    noiseNote_->setWordWrap(true);
    noiseNote_->hide();
    table_ = new QTableView(this);
    table_->setModel(&model_);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->verticalHeader()->hide();
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    stepTable_ = new QTableView(this);
    stepTable_->setObjectName(QStringLiteral("stepCompareTable"));
    stepTable_->setModel(&stepModel_);
    stepTable_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    stepTable_->horizontalHeader()->setStretchLastSection(true);
    stepTable_->verticalHeader()->hide();
    stepTable_->setSelectionBehavior(QAbstractItemView::SelectRows);
    stepTable_->setAccessibleName(tr("Scenario steps per run"));
    stepTable_->hide();
    bars_ = makeChartView(tr("Throughput"), QString(), tr("requests per second"), this);
    percentiles_ = makeChartView(tr("Latency by percentile"), tr("percentile"), tr("latency (ms)"), this);
    percentiles_->setXLabelFormatter(ninesPercentile); // hover says "p99.9", not "3 nines"
    overTime_ = makeChartView(tr("Throughput over time"), tr("time (s)"), tr("req/s"), this);

    table_->setAccessibleName(tr("Comparison summary"));
    auto* header = new QHBoxLayout();
    auto* baselineLabel = new QLabel(tr("&Baseline:"), this);
    baselineLabel->setBuddy(baseline_);
    header->addWidget(baselineLabel);
    header->addWidget(baseline_, 1);
    // At small window sizes and large scale factors the view scrolls rather than squeezing a chart
    // until its axis labels turn into ellipses.
    auto* content = new QWidget;
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(content);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);
    table_->setMinimumHeight(110);
    stepTable_->setMinimumHeight(110);
    for (auto* chart : {bars_, percentiles_, overTime_}) {
        chart->setMinimumHeight(220);
    }
    percentiles_->chart()->setMargins(QMargins(4, 4, 24, 4)); // room for the last nines' labels
    auto* grid = new QGridLayout(content);
    grid->addLayout(header, 0, 0, 1, 3);
    auto* notes = new QVBoxLayout();
    notes->addWidget(noiseNote_);
    notes->addWidget(saturation_);
    grid->addLayout(notes, 1, 0, 1, 3);
    // The step table shares the summary's row: hidden (single-URL runs only), it takes no room.
    auto* tables = new QVBoxLayout();
    tables->addWidget(table_);
    tables->addWidget(stepTable_);
    grid->addLayout(tables, 2, 0, 1, 3);
    grid->addWidget(bars_, 3, 0);
    grid->addWidget(percentiles_, 3, 1, 1, 2);
    grid->addWidget(overTime_, 4, 0, 1, 3);
    grid->setRowStretch(2, 1);
    grid->setRowStretch(3, 3);
    grid->setRowStretch(4, 2);
    grid->setColumnStretch(0, 2);
    grid->setColumnStretch(1, 3);
    setRuns({});
}

void CompareView::setRuns(std::vector<store::StoredRun> runs, std::vector<int64_t> targetIds)
{
    model_.setRuns(std::move(runs), std::move(targetIds));
    const QSignalBlocker blocker(baseline_);
    baseline_->clear();
    // One entry per row: a run, or a group of repeats when the table shows groups.
    for (int row = 0; row < model_.rowCount(); ++row) {
        baseline_->addItem(model_.rowName(row));
    }
    baseline_->setCurrentIndex(model_.baseline());
    noiseNote_->setVisible(model_.grouped());
    stepModel_.setRuns(model_.runs());
    stepTable_->setVisible(stepModel_.rowCount() > 0);
    QStringList saturated;
    QStringList incomplete;
    for (const auto& run : model_.runs()) {
        if (run.result.generator.saturated) {
            saturated << CompareModel::runName(run);
        }
        if (run.listing.status == "failed") {
            incomplete << tr("%1 failed (%2)").arg(CompareModel::runName(run),
                                                   QString::fromStdString(run.listing.failureReason));
        } else if (run.listing.status != "completed") {
            incomplete << tr("%1 is %2").arg(CompareModel::runName(run), QString::fromStdString(run.listing.status));
        }
    }
    QStringList warnings;
    if (!saturated.isEmpty()) {
        warnings << tr("⚠ Generator saturated in %1: the load generator may have been the bottleneck, so those "
                       "figures can understate the server (add threads, lower the load, or use more machines).")
                        .arg(saturated.join(QStringLiteral(", ")));
    }
    if (!incomplete.isEmpty()) {
        warnings << tr("⚠ %1: figures that do not cover the whole plan; no ratio is computed against them.")
                        .arg(incomplete.join(QStringLiteral("; ")));
    }
    saturation_->setTextFormat(Qt::PlainText); // run labels come from the session file
    saturation_->setText(warnings.join(QLatin1Char('\n')));
    saturation_->setVisible(!warnings.isEmpty());
    rebuildCharts();
}

void CompareView::rebuildCharts()
{
    const auto& runs = model_.runs();
    // Bars: one set, one category per run, so each bar is labelled under itself.
    QChart* bars = bars_->chart();
    clearChart(bars);
    auto* set = new QBarSet(tr("req/s"));
    QStringList names;
    double maxRps = 1;
    for (const auto& run : runs) {
        *set << std::round(run.result.summary.rps);
        names << CompareModel::runName(run).toHtmlEscaped(); // axis labels render markup
        maxRps = std::max(maxRps, run.result.summary.rps);
    }
    auto* barSeries = new QBarSeries(bars);
    barSeries->append(set);
    barSeries->setLabelsVisible(true);
    barSeries->setLabelsFormat(QStringLiteral("@value"));
    bars->addSeries(barSeries);
    auto* categories = new QBarCategoryAxis(bars);
    categories->append(names);
    auto* rpsAxis = new QValueAxis(bars);
    rpsAxis->setTitleText(tr("requests per second"));
    rpsAxis->setRange(0, maxRps * 1.15);
    rpsAxis->applyNiceNumbers();
    rpsAxis->setLabelFormat(QStringLiteral("%.0f"));
    bars->addAxis(categories, Qt::AlignBottom);
    bars->addAxis(rpsAxis, Qt::AlignLeft);
    barSeries->attachAxis(categories);
    barSeries->attachAxis(rpsAxis);
    bars->legend()->hide();

    // Percentiles: x is the number of nines, -log10(1 - p), so the tail gets the room it deserves.
    QChart* percentiles = percentiles_->chart();
    clearChart(percentiles);
    auto* nines = new QCategoryAxis(percentiles);
    nines->setTitleText(tr("percentile"));
    nines->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    const QStringList labels = {QStringLiteral("0%"), QStringLiteral("90%"), QStringLiteral("99%"),
                                QStringLiteral("99.9%"), QStringLiteral("99.99%"), QStringLiteral("99.999%")};
    for (int i = 0; i < labels.size(); ++i) {
        nines->append(labels[i], i);
    }
    nines->setRange(0, 4);
    auto* latencyAxis = new QValueAxis(percentiles);
    latencyAxis->setTitleText(tr("latency (ms)"));
    percentiles->addAxis(nines, Qt::AlignBottom);
    percentiles->addAxis(latencyAxis, Qt::AlignLeft);
    double maxLatency = 0.001;
    double maxNines = 1;
    for (size_t r = 0; r < runs.size(); ++r) {
        const auto& histogram = runs[r].result.total.latency;
        if (histogram.empty()) {
            continue;
        }
        auto* line = new QLineSeries(percentiles);
        line->setName(CompareModel::runName(runs[r]).toHtmlEscaped()); // legends render markup: labels are text
        line->setColor(kPalette[int(r) % kPalette.size()]);
        for (const auto& [x, ms] : histogram.percentileCurve()) {
            line->append(x, ms);
            maxLatency = std::max(maxLatency, ms);
            maxNines = std::max(maxNines, x);
        }
        percentiles->addSeries(line);
        line->attachAxis(nines);
        line->attachAxis(latencyAxis);
    }
    nines->setRange(0, std::ceil(maxNines) + 0.15); // room for the last label
    latencyAxis->setRange(0, maxLatency * 1.1);
    latencyAxis->applyNiceNumbers();

    // Throughput over time, one line per run.
    QChart* overTime = overTime_->chart();
    clearChart(overTime);
    auto* seconds = new QValueAxis(overTime);
    seconds->setTitleText(tr("time (s)"));
    seconds->setLabelFormat(QStringLiteral("%.0f"));
    auto* rpsOverTime = new QValueAxis(overTime);
    rpsOverTime->setTitleText(tr("req/s"));
    rpsOverTime->setLabelFormat(QStringLiteral("%.0f"));
    overTime->addAxis(seconds, Qt::AlignBottom);
    overTime->addAxis(rpsOverTime, Qt::AlignLeft);
    double maxT = 1;
    double maxY = 1;
    for (size_t r = 0; r < runs.size(); ++r) {
        auto* line = new QLineSeries(overTime);
        line->setName(CompareModel::runName(runs[r]).toHtmlEscaped());
        line->setColor(kPalette[int(r) % kPalette.size()]);
        for (const auto& point : runs[r].result.series) {
            line->append(point.t, point.rps());
            maxT = std::max(maxT, point.t);
            maxY = std::max(maxY, point.rps());
        }
        overTime->addSeries(line);
        line->attachAxis(seconds);
        line->attachAxis(rpsOverTime);
    }
    seconds->setRange(0, std::ceil(maxT));
    seconds->setTickCount(std::min(11, int(std::ceil(maxT)) + 1));
    rpsOverTime->setRange(0, maxY * 1.15);
    rpsOverTime->applyNiceNumbers();
    for (auto* view : {bars_, percentiles_, overTime_}) {
        view->refreshInteractions(); // new series and legend markers
    }
}

} // namespace benchdeck::ui
