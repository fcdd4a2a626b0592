// SPDX-License-Identifier: Apache-2.0
#include "export_dialog.h"

#include <QComboBox>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QSettings>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>

namespace benchdeck::ui {

ExportDialog::ExportDialog(const std::vector<store::RunListing>& runs, const std::vector<int64_t>& preselected,
                           QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Export comparison report"));
    runs_ = new QListWidget(this);
    for (const auto& run : runs) {
        auto* item = new QListWidgetItem(
            QStringLiteral("#%1  %2  %3  (%4)")
                .arg(run.id)
                .arg(QString::fromStdString(run.label.empty() ? run.url : run.label),
                     QString::fromStdString(run.profile), QString::fromStdString(run.status)),
            runs_);
        item->setData(Qt::UserRole, qint64(run.id));
        const bool chosen = preselected.empty() ||
                            std::find(preselected.begin(), preselected.end(), run.id) != preselected.end();
        item->setCheckState(chosen ? Qt::Checked : Qt::Unchecked);
        if (run.baseline) {
            markedBaseline_ = run.id; // the session's baseline is the one offered first
        }
    }
    baseline_ = new QComboBox(this);
    format_ = new QComboBox(this);
    format_->addItem(tr("HTML (one self-contained file)"), QStringLiteral("html"));
    format_->addItem(tr("PDF"), QStringLiteral("pdf"));
    format_->addItem(tr("Markdown (+ SVG charts beside it)"), QStringLiteral("md"));
    format_->addItem(tr("CSV (one row per run, then scenario steps)"), QStringLiteral("csv"));
    format_->addItem(tr("JSON (everything)"), QStringLiteral("json"));
    title_ = new QLineEdit(this);
    title_->setPlaceholderText(tr("Benchdeck comparison: <session>"));
    path_ = new QLineEdit(QDir::home().filePath(QStringLiteral("benchdeck-report.html")), this);
    auto* browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, &ExportDialog::browse);
    notes_ = new QPlainTextEdit(this);
    notes_->setPlaceholderText(tr("Notes for your team (optional)"));
    notes_->setMaximumHeight(80);
    connect(runs_, &QListWidget::itemChanged, this, &ExportDialog::refreshBaselines);
    connect(format_, &QComboBox::currentIndexChanged, this, [this] {
        QString path = path_->text();
        const int dot = path.lastIndexOf(QLatin1Char('.'));
        path_->setText((dot > 0 ? path.left(dot) : path) + QLatin1Char('.') + format_->currentData().toString());
    });
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Export"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* pathRow = new QHBoxLayout();
    pathRow->addWidget(path_, 1);
    pathRow->addWidget(browse);
    auto* form = new QFormLayout(this);
    form->addRow(tr("&Runs:"), runs_);
    form->addRow(tr("&Baseline:"), baseline_);
    form->addRow(tr("&Format:"), format_);
    form->addRow(tr("&Title:"), title_);
    form->addRow(tr("&Save to:"), pathRow);
    form->addRow(tr("&Notes:"), notes_);
    open_ = new QCheckBox(tr("Open the report &when it is written"), this);
    open_->setChecked(QSettings().value(QStringLiteral("export/open"), true).toBool());
    connect(open_, &QCheckBox::toggled, this, [](bool on) { QSettings().setValue(QStringLiteral("export/open"), on); });
    form->addRow(open_);
    form->addRow(buttons);
    refreshBaselines();
    resize(620, 520);
}

void ExportDialog::refreshBaselines()
{
    const qint64 current = baseline_->currentData().toLongLong();
    baseline_->clear();
    for (int i = 0; i < runs_->count(); ++i) {
        if (runs_->item(i)->checkState() == Qt::Checked) {
            baseline_->addItem(runs_->item(i)->text(), runs_->item(i)->data(Qt::UserRole));
        }
    }
    const int kept = baseline_->findData(current);
    baseline_->setCurrentIndex(kept >= 0 ? kept : std::max(0, baseline_->findData(qint64(markedBaseline_))));
}

void ExportDialog::browse()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export report"), path_->text());
    if (!path.isEmpty()) {
        path_->setText(path);
    }
}

comparison::ReportRequest ExportDialog::request() const
{
    comparison::ReportRequest request;
    for (int i = 0; i < runs_->count(); ++i) {
        if (runs_->item(i)->checkState() == Qt::Checked) {
            request.runIds.push_back(runs_->item(i)->data(Qt::UserRole).toLongLong());
        }
    }
    request.baselineRunId = baseline_->currentData().toLongLong();
    request.title = title_->text().trimmed().toStdString();
    request.notes = notes_->toPlainText().trimmed().toStdString();
    return request;
}

comparison::ReportFormat ExportDialog::format() const
{
    return comparison::parseReportFormat(format_->currentData().toString()).value_or(comparison::ReportFormat::Html);
}

QString ExportDialog::path() const
{
    return path_->text().trimmed();
}

bool ExportDialog::openWhenWritten() const
{
    return open_->isChecked();
}

} // namespace benchdeck::ui
