// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "comparison/report_files.h"
#include "store/run_record.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;

namespace benchdeck::ui {

// Chooses what a comparison report covers and where it goes: runs, baseline, format, path, notes.
class ExportDialog : public QDialog {
    Q_OBJECT
public:
    ExportDialog(const std::vector<store::RunListing>& runs, const std::vector<int64_t>& preselected,
                 QWidget* parent);

    comparison::ReportRequest request() const;
    comparison::ReportFormat format() const;
    QString path() const;
    bool openWhenWritten() const;

private:
    void refreshBaselines();
    void browse();

    QListWidget* runs_;
    QComboBox* baseline_;
    QComboBox* format_;
    QLineEdit* title_;
    QLineEdit* path_;
    QPlainTextEdit* notes_;
    QCheckBox* open_;
    int64_t markedBaseline_ = 0;
};

} // namespace benchdeck::ui
