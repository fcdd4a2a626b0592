// SPDX-License-Identifier: Apache-2.0
#include "live_run_view.h"

#include "chart_helpers.h"
#include "models/format.h"

#include <QGridLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace benchdeck::ui {

LiveRunView::LiveRunView(QWidget* parent)
    : QWidget(parent)
{
    title_ = new QLabel(tr("No run in progress. Pick a target and a profile, then Run ▸ Start (F5)."), this);
    QFont bold = title_->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.15);
    title_->setFont(bold);
    title_->setWordWrap(true);
    progress_ = new QProgressBar(this);
    progress_->setRange(0, 1000);
    progress_->setTextVisible(true);
    progress_->setFormat(tr("idle"));
    stop_ = new QPushButton(tr("Stop"), this);
    stop_->setEnabled(false);
    stop_->setToolTip(tr("End the run now; what was measured so far is kept (Esc)"));
    stop_->setShortcut(QKeySequence(Qt::Key_Escape));
    connect(stop_, &QPushButton::clicked, this, &LiveRunView::stopRequested);
    totals_ = new QLabel(this);
    totals_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    warning_ = new QLabel(this);
    warning_->setWordWrap(true);
    warning_->setStyleSheet(QStringLiteral("QLabel { color: #b35c00; font-weight: bold; }"));
    warning_->hide();
    thresholds_ = new QLabel(this);
    thresholds_->setObjectName(QStringLiteral("thresholdVerdicts"));
    thresholds_->setTextFormat(Qt::PlainText); // expressions come from session files
    thresholds_->setWordWrap(true);
    thresholds_->hide();
    problems_ = new QLabel(this);
    problems_->setWordWrap(true);
    problems_->setStyleSheet(QStringLiteral("QLabel { color: #c62828; }"));
    problems_->hide();

    throughputView_ = makeChartView(tr("Throughput"), tr("time (s)"), tr("requests per second"), this);
    latencyView_ = makeChartView(tr("Latency percentiles"), tr("time (s)"), tr("latency (ms)"), this);
    errorsView_ = makeChartView(tr("Errors"), tr("time (s)"), tr("errors per second"), this);
    throughput_ = addLine(throughputView_->chart(), tr("req/s"), QColor(0x2e, 0x7d, 0x32));
    p50_ = addLine(latencyView_->chart(), tr("p50"), QColor(0x15, 0x65, 0xc0));
    p90_ = addLine(latencyView_->chart(), tr("p90"), QColor(0xef, 0x8f, 0x00));
    p99_ = addLine(latencyView_->chart(), tr("p99"), QColor(0xc6, 0x28, 0x28));
    errors_ = addLine(errorsView_->chart(), tr("errors/s"), QColor(0xc6, 0x28, 0x28));
    throughputView_->chart()->legend()->hide();
    errorsView_->chart()->legend()->hide();

    auto* top = new QHBoxLayout();
    top->addWidget(progress_, 1);
    top->addWidget(stop_);
    auto* charts = new QGridLayout();
    charts->addWidget(throughputView_, 0, 0);
    charts->addWidget(latencyView_, 0, 1);
    charts->addWidget(errorsView_, 1, 0, 1, 2);
    charts->setRowStretch(0, 3);
    charts->setRowStretch(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(title_);
    layout->addLayout(top);
    layout->addWidget(totals_);
    layout->addWidget(warning_);
    layout->addWidget(thresholds_);
    layout->addWidget(problems_);
    layout->addLayout(charts, 1);
}

void LiveRunView::startJob(int jobIndex, int jobCount, const QString& label)
{
    title_->setText(jobCount > 1 ? tr("Running %1 (run %2 of %3)").arg(label).arg(jobIndex + 1).arg(jobCount)
                                 : tr("Running %1").arg(label));
    for (auto* series : {throughput_, p50_, p90_, p99_, errors_}) {
        series->clear();
    }
    thresholds_->hide();
    for (auto* view : {throughputView_, latencyView_, errorsView_}) {
        if (auto* interactive = qobject_cast<InteractiveChartView*>(view)) {
            interactive->resetZoom(); // a zoom into the last run means nothing for this one
        }
        axisX(view->chart())->setRange(0, 10);
        axisY(view->chart())->setRange(0, 1);
        axisY(view->chart())->setLabelFormat(QStringLiteral("%.1f"));
    }
    // Errors come in whole numbers: start from a range whose ticks are whole too.
    axisY(errorsView_->chart())->setRange(0, 5);
    axisY(errorsView_->chart())->setLabelFormat(QStringLiteral("%.0f"));
    warning_->hide();
    if (jobIndex == 0) {
        problems_->clear();
        problems_->hide();
    }
    totals_->clear();
    progress_->setValue(0);
    stop_->setEnabled(true);
}

void LiveRunView::update(const workflow::LiveUpdate& update)
{
    const auto& s = update.snapshot;
    const double t = s.elapsedSeconds;
    if (!s.final && !s.warmingUp) { // warm-up is not measured, so it is not drawn either
        throughput_->append(t, s.tickRps);
        p50_->append(t, double(s.tickP50) / 1000.0);
        p90_->append(t, double(s.tickP90) / 1000.0);
        p99_->append(t, double(s.tickP99) / 1000.0);
        errors_->append(t, s.tickErrorsPerSecond);
        for (auto* view : {throughputView_, latencyView_, errorsView_}) {
            const auto* interactive = qobject_cast<const InteractiveChartView*>(view);
            if (interactive && interactive->isZoomed()) {
                continue; // someone is looking at part of the run: the range stays theirs until Reset zoom
            }
            auto* x = axisX(view->chart());
            if (t > x->max()) {
                // Grow in whole tens so the six ticks stay on round seconds.
                x->setMax(std::ceil(t / 10.0) * 10.0);
            }
        }
        fitY(throughputView_->chart(), s.tickRps);
        fitY(latencyView_->chart(), double(s.tickP99) / 1000.0);
        fitY(errorsView_->chart(), s.tickErrorsPerSecond);
    }
    progress_->setValue(int(s.progress * 1000));
    const QString eta = s.etaSeconds >= 0 ? tr(", ETA %1 s").arg(s.etaSeconds, 0, 'f', 0) : QString();
    progress_->setFormat(s.warmingUp ? tr("warming up, %1 s%2").arg(s.elapsedSeconds, 0, 'f', 1).arg(eta)
                                     : tr("%p% · elapsed %1 s%2").arg(s.elapsedSeconds, 0, 'f', 1).arg(eta));
    totals_->setText(tr("%1 requests · %2 req/s now · p50 %3 · p99 %4 · %5 errors")
                         .arg(QStringLiteral("%L1").arg(s.requests))
                         .arg(formatRate(s.tickRps))
                         .arg(formatLatency(double(s.tickP50)))
                         .arg(formatLatency(double(s.tickP99)))
                         .arg(s.errors));
}

void LiveRunView::finishJob(const metrics::RunResult& result, const std::vector<report::ThresholdVerdict>& verdicts)
{
    QStringList lines;
    bool passed = true;
    for (const auto& verdict : verdicts) {
        lines << QString::fromStdString(verdict.line);
        passed = passed && verdict.passed;
    }
    thresholds_->setText(lines.join(QLatin1Char('\n')));
    thresholds_->setStyleSheet(passed ? QStringLiteral("QLabel { color: #2e7d32; font-weight: bold; }")
                                      : QStringLiteral("QLabel { color: #c62828; font-weight: bold; }"));
    thresholds_->setVisible(!lines.isEmpty());
    stop_->setEnabled(false);
    progress_->setValue(1000);
    progress_->setFormat(tr("done"));
    const auto& summary = result.summary;
    totals_->setText(tr("%1 requests in %2 s · %3 req/s · p50 %4 · p99 %5 · %6 errors")
                         .arg(QStringLiteral("%L1").arg(summary.requests))
                         .arg(summary.durationSeconds, 0, 'f', 1)
                         .arg(formatRate(summary.rps))
                         .arg(formatLatency(double(summary.latency.p50)))
                         .arg(formatLatency(double(summary.latency.p99)))
                         .arg(summary.errors));
    if (summary.status == metrics::RunStatus::Failed) {
        warning_->setTextFormat(Qt::PlainText);
        warning_->setText(tr("Failed: %1. No response came back, so no figure describes the server.")
                              .arg(QString::fromStdString(summary.failureReason)));
        warning_->show();
    }
    if (result.generator.saturated) {
        warning_->setText(tr("Generator saturated: %1").arg(QString::fromStdString(result.generator.advice)));
        warning_->show();
    }
}

void LiveRunView::addProblem(const QString& message)
{
    problems_->setText(problems_->text().isEmpty() ? message : problems_->text() + QLatin1Char('\n') + message);
    problems_->show();
}

void LiveRunView::setIdle(const QString& message)
{
    stop_->setEnabled(false);
    title_->setText(message);
}

int LiveRunView::throughputPoints() const
{
    return int(throughput_->count());
}

QString LiveRunView::thresholdText() const
{
    return thresholds_->isHidden() ? QString() : thresholds_->text();
}

} // namespace benchdeck::ui
