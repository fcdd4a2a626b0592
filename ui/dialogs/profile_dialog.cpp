// SPDX-License-Identifier: Apache-2.0
#include "profile_dialog.h"

#include "report/thresholds.h"

#include <cmath>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QLabel>
#include <QSpinBox>

#include "views/chart_helpers.h"

namespace benchdeck::ui {
namespace {

struct Preset {
    const char* name;
    int connections;
    double seconds;
    int requests;
    double warmup;
};

constexpr Preset kPresets[] = {
    {"Open model: 500 requests/s, 30 s", -500, 30, 0, 3},
    {"Smoke test: 10 users, 10 s", 10, 10, 0, 1},
    {"100 concurrent users, 30 s", 100, 30, 0, 3},
    {"1,000 concurrent users, 30 s", 1000, 30, 0, 5},
    {"Soak: 200 users, 5 min", 200, 300, 0, 10},
    {"Fixed 100,000 requests, 100 users", 100, 0, 100000, 2},
};

} // namespace

ProfileDialog::ProfileDialog(const store::Profile& profile, QWidget* parent)
    : QDialog(parent)
    , profile_(profile)
{
    setWindowTitle(profile.id ? tr("Edit load profile") : tr("New load profile"));
    preset_ = new QComboBox(this);
    preset_->addItem(tr("Custom"));
    for (const auto& preset : kPresets) {
        preset_->addItem(tr(preset.name));
    }
    name_ = new QLineEdit(QString::fromStdString(profile.name), this);
    model_ = new QComboBox(this);
    model_->addItem(tr("Closed: concurrent users, each waiting for its answer"));
    model_->addItem(tr("Open: a fixed arrival rate, whatever the answers do"));
    model_->setCurrentIndex(engine::isOpenModel(profile.load) ? 1 : 0);
    model_->setToolTip(tr("The open model measures latency from each request's intended send time, so a stalled "
                          "server shows up in the percentiles (coordinated-omission corrected)"));
    rate_ = new QDoubleSpinBox(this);
    rate_->setRange(0, 10'000'000);
    rate_->setSuffix(tr(" req/s"));
    rate_->setSpecialValueText(tr("from the stages"));
    rate_->setValue(profile.load.rate);
    stages_ = new QLineEdit(QString::fromStdString(engine::formatStages(profile.load.stages)), this);
    stages_->setPlaceholderText(tr("optional ramp, e.g. 10s:100,30s:1000,10s:0"));
    stages_->setToolTip(tr("Over each duration, move linearly to the level (users, or req/s in the open model), "
                           "starting from 0. Replaces the duration."));
    stagesProblem_ = new QLabel(this);
    stagesProblem_->setStyleSheet(QStringLiteral("QLabel { color: #c62828; }"));
    preview_ = makeChartView(tr("Load over time (preview)"), tr("time (s)"), tr("level"), this);
    preview_->setMinimumHeight(150);
    preview_->chart()->legend()->hide();
    connections_ = new QSpinBox(this);
    connections_->setRange(1, 100000);
    connections_->setValue(profile.load.connections);
    connections_->setToolTip(tr("Concurrent users, each with one request in flight"));
    threads_ = new QSpinBox(this);
    threads_->setRange(0, 256);
    threads_->setSpecialValueText(tr("one per core"));
    threads_->setValue(profile.load.threads);
    duration_ = new QDoubleSpinBox(this);
    duration_->setRange(0, 86400);
    duration_->setSuffix(tr(" s"));
    duration_->setSpecialValueText(tr("until the request count"));
    duration_->setValue(double(profile.load.duration.count()) / 1e6);
    requests_ = new QSpinBox(this);
    requests_->setRange(0, 2000000000);
    requests_->setSpecialValueText(tr("no limit"));
    requests_->setValue(int(std::min<uint64_t>(profile.load.requests, uint64_t(requests_->maximum()))));
    warmup_ = new QDoubleSpinBox(this);
    warmup_->setRange(0, 3600);
    warmup_->setSuffix(tr(" s"));
    warmup_->setValue(double(profile.load.warmup.count()) / 1e6);
    warmup_->setToolTip(tr("Requests during the warm-up are sent but not measured"));
    QStringList thresholds;
    for (const auto& expression : profile.load.thresholds) {
        thresholds << QString::fromStdString(expression);
    }
    thresholds_ = new QLineEdit(thresholds.join(QStringLiteral(", ")), this);
    thresholds_->setPlaceholderText(tr("optional, e.g. p99<50ms, errors<1%, rps>=5000"));
    thresholds_->setToolTip(tr("Pass/fail criteria judged when each run ends, as benchdeck-cli run --threshold: "
                               "METRIC OP LIMIT with METRIC one of rps, mean, p50, p90, p99, p999, max, errors. "
                               "Separate several with commas."));
    thresholdsProblem_ = new QLabel(this);
    thresholdsProblem_->setStyleSheet(QStringLiteral("QLabel { color: #c62828; }"));
    thresholdsProblem_->setWordWrap(true);
    thresholdsProblem_->hide();
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(preset_, &QComboBox::activated, this, &ProfileDialog::applyPreset);
    const auto check = [this, buttons] {
        const bool endless =
            duration_->value() == 0 && requests_->value() == 0 && stages_->text().trimmed().isEmpty();
        std::string problem;
        for (const QString& expression : thresholdExpressions()) {
            if (problem.empty() && !report::parseThreshold(expression.toStdString(), &problem)) {
                problem = expression.toStdString() + ": " + problem;
            }
        }
        thresholdsProblem_->setText(QString::fromStdString(problem));
        thresholdsProblem_->setVisible(!problem.empty());
        buttons->button(QDialogButtonBox::Ok)->setEnabled(!endless && problem.empty() &&
                                                          !name_->text().trimmed().isEmpty());
        buttons->button(QDialogButtonBox::Ok)->setToolTip(endless ? tr("Give a duration or a request count")
                                                                  : QString());
    };
    connect(duration_, &QDoubleSpinBox::valueChanged, this, check);
    connect(requests_, &QSpinBox::valueChanged, this, check);
    connect(name_, &QLineEdit::textChanged, this, check);
    connect(stages_, &QLineEdit::textChanged, this, check);
    connect(thresholds_, &QLineEdit::textChanged, this, check);
    connect(model_, &QComboBox::currentIndexChanged, this, &ProfileDialog::updatePreview);
    connect(rate_, &QDoubleSpinBox::valueChanged, this, &ProfileDialog::updatePreview);
    connect(stages_, &QLineEdit::textChanged, this, &ProfileDialog::updatePreview);
    connect(connections_, &QSpinBox::valueChanged, this, &ProfileDialog::updatePreview);
    connect(duration_, &QDoubleSpinBox::valueChanged, this, &ProfileDialog::updatePreview);

    auto* form = new QFormLayout(this);
    form->addRow(tr("&Preset:"), preset_);
    form->addRow(tr("&Name:"), name_);
    form->addRow(tr("&Model:"), model_);
    form->addRow(tr("&Connections:"), connections_);
    form->addRow(tr("R&ate:"), rate_);
    form->addRow(tr("Ramp &stages:"), stages_);
    form->addRow(stagesProblem_);
    form->addRow(tr("&Threads:"), threads_);
    form->addRow(tr("&Duration:"), duration_);
    form->addRow(tr("&Requests:"), requests_);
    form->addRow(tr("&Warm-up:"), warmup_);
    form->addRow(tr("T&hresholds:"), thresholds_);
    form->addRow(thresholdsProblem_);
    form->addRow(preview_);
    form->addRow(buttons);
    check();
    updatePreview();
}

void ProfileDialog::updatePreview()
{
    const bool open = model_->currentIndex() == 1;
    rate_->setEnabled(open);
    connections_->setToolTip(open ? tr("The bound on requests in flight") : tr("Concurrent users"));
    std::string error;
    std::vector<engine::Stage> stages;
    if (!stages_->text().trimmed().isEmpty()) {
        auto parsed = engine::parseStages(stages_->text().trimmed().toStdString(), &error);
        if (parsed) {
            stages = std::move(*parsed);
        }
    }
    stagesProblem_->setText(QString::fromStdString(error));
    stagesProblem_->setVisible(!error.empty());
    // The plan as the engine will run it: level over time, with linear ramps between stages.
    QChart* chart = preview_->chart();
    chart->removeAllSeries();
    auto* line = addLine(chart, tr("level"), QColor(0x15, 0x65, 0xc0));
    double t = 0;
    double level = 0;
    double peak = 1;
    if (stages.empty()) {
        level = open ? rate_->value() : connections_->value();
        const double seconds = std::max(1.0, duration_->value());
        line->append(0, level);
        line->append(seconds, level);
        t = seconds;
        peak = std::max(peak, level);
    } else {
        line->append(0, 0);
        for (const auto& stage : stages) {
            t += double(stage.duration.count()) / 1e6;
            level = stage.target;
            line->append(t, level);
            peak = std::max(peak, level);
        }
    }
    axisX(chart)->setRange(0, std::max(1.0, t));
    axisY(chart)->setRange(0, peak * 1.1);
    axisY(chart)->setTitleText(open ? tr("requests per second") : tr("users"));
}

void ProfileDialog::applyPreset(int index)
{
    if (index <= 0) {
        return;
    }
    const auto& preset = kPresets[index - 1];
    name_->setText(tr(preset.name));
    // A negative preset size is an open-model rate.
    model_->setCurrentIndex(preset.connections < 0 ? 1 : 0);
    rate_->setValue(preset.connections < 0 ? -preset.connections : 0);
    stages_->clear();
    connections_->setValue(preset.connections < 0 ? 1000 : preset.connections);
    duration_->setValue(preset.seconds);
    requests_->setValue(preset.requests);
    warmup_->setValue(preset.warmup);
}

store::Profile ProfileDialog::profile() const
{
    store::Profile p = profile_;
    p.name = name_->text().trimmed().toStdString();
    p.load.connections = connections_->value();
    p.load.threads = threads_->value();
    // Rounded, not truncated: 0.29 s must come back as 290000 µs, or an untouched profile changes its plan.
    p.load.duration = engine::Micros(std::llround(duration_->value() * 1e6));
    p.load.requests = uint64_t(requests_->value());
    p.load.warmup = engine::Micros(std::llround(warmup_->value() * 1e6));
    const bool open = model_->currentIndex() == 1;
    p.load.rate = open ? rate_->value() : 0;
    std::string error;
    auto stages = engine::parseStages(stages_->text().trimmed().toStdString(), &error);
    p.load.stages = stages_->text().trimmed().isEmpty() || !stages ? std::vector<engine::Stage>{} : *stages;
    p.load.openModel = open && (p.load.rate > 0 || !p.load.stages.empty());
    if (!p.load.stages.empty()) {
        p.load.rate = 0;
        p.load.warmup = {};
    }
    // Stored as canonically spelt ("p99 < 50 ms" becomes "p99<50ms"); OK is disabled while one is invalid.
    p.load.thresholds.clear();
    for (const QString& expression : thresholdExpressions()) {
        std::string ignored;
        if (const auto threshold = report::parseThreshold(expression.toStdString(), &ignored)) {
            p.load.thresholds.push_back(threshold->expression);
        }
    }
    return p;
}

QStringList ProfileDialog::thresholdExpressions() const
{
    QStringList expressions;
    for (const QString& part : thresholds_->text().split(QLatin1Char(','))) {
        if (!part.trimmed().isEmpty()) {
            expressions << part.trimmed();
        }
    }
    return expressions;
}

CandidateDialog::CandidateDialog(const store::Candidate& candidate, QWidget* parent)
    : QDialog(parent)
    , candidate_(candidate)
{
    setWindowTitle(candidate.id ? tr("Edit candidate") : tr("New candidate"));
    name_ = new QLineEdit(QString::fromStdString(candidate.name), this);
    name_->setPlaceholderText(tr("e.g. Go (Gin)"));
    stack_ = new QComboBox(this);
    stack_->setEditable(true);
    stack_->addItems({"go", "python", "node", "java", "rust", "other"});
    stack_->setCurrentText(QString::fromStdString(candidate.stack.empty() ? "other" : candidate.stack));
    stack_->setToolTip(tr("The stack sets the decision table's default qualitative scores"));
    notes_ = new QLineEdit(QString::fromStdString(candidate.notes), this);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(name_, &QLineEdit::textChanged, this, [this, buttons] {
        buttons->button(QDialogButtonBox::Ok)->setEnabled(!name_->text().trimmed().isEmpty());
    });
    buttons->button(QDialogButtonBox::Ok)->setEnabled(!name_->text().trimmed().isEmpty());
    auto* form = new QFormLayout(this);
    form->addRow(tr("&Name:"), name_);
    form->addRow(tr("&Stack:"), stack_);
    form->addRow(tr("N&otes:"), notes_);
    form->addRow(buttons);
}

store::Candidate CandidateDialog::candidate() const
{
    store::Candidate c = candidate_;
    c.name = name_->text().trimmed().toStdString();
    c.stack = stack_->currentText().trimmed().toLower().toStdString();
    c.notes = notes_->text().trimmed().toStdString();
    return c;
}

} // namespace benchdeck::ui
