#include "profile_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

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
    requests_->setValue(int(profile.load.requests));
    warmup_ = new QDoubleSpinBox(this);
    warmup_->setRange(0, 3600);
    warmup_->setSuffix(tr(" s"));
    warmup_->setValue(double(profile.load.warmup.count()) / 1e6);
    warmup_->setToolTip(tr("Requests during the warm-up are sent but not measured"));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(preset_, &QComboBox::activated, this, &ProfileDialog::applyPreset);
    const auto check = [this, buttons] {
        const bool endless = duration_->value() == 0 && requests_->value() == 0;
        buttons->button(QDialogButtonBox::Ok)->setEnabled(!endless && !name_->text().trimmed().isEmpty());
        buttons->button(QDialogButtonBox::Ok)->setToolTip(endless ? tr("Give a duration or a request count")
                                                                  : QString());
    };
    connect(duration_, &QDoubleSpinBox::valueChanged, this, check);
    connect(requests_, &QSpinBox::valueChanged, this, check);
    connect(name_, &QLineEdit::textChanged, this, check);

    auto* form = new QFormLayout(this);
    form->addRow(tr("&Preset:"), preset_);
    form->addRow(tr("&Name:"), name_);
    form->addRow(tr("&Connections:"), connections_);
    form->addRow(tr("&Threads:"), threads_);
    form->addRow(tr("&Duration:"), duration_);
    form->addRow(tr("&Requests:"), requests_);
    form->addRow(tr("&Warm-up:"), warmup_);
    form->addRow(buttons);
    check();
}

void ProfileDialog::applyPreset(int index)
{
    if (index <= 0) {
        return;
    }
    const auto& preset = kPresets[index - 1];
    name_->setText(tr(preset.name));
    connections_->setValue(preset.connections);
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
    p.load.duration = engine::Micros(int64_t(duration_->value() * 1e6));
    p.load.requests = uint64_t(requests_->value());
    p.load.warmup = engine::Micros(int64_t(warmup_->value() * 1e6));
    return p;
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
