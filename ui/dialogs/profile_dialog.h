// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/session_content.h"

#include <QDialog>

class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;
class QLabel;
class QChartView;

namespace benchdeck::ui {

// Edits a closed-model load profile, with presets for the usual questions.
class ProfileDialog : public QDialog {
    Q_OBJECT
public:
    ProfileDialog(const store::Profile& profile, QWidget* parent);
    store::Profile profile() const;

private:
    void applyPreset(int index);
    void updatePreview();
    QStringList thresholdExpressions() const;

    store::Profile profile_;
    QComboBox* preset_;
    QComboBox* model_;
    QLineEdit* thresholds_;
    QLabel* thresholdsProblem_;
    QDoubleSpinBox* rate_;
    QLineEdit* stages_;
    QLabel* stagesProblem_;
    QChartView* preview_;
    QLineEdit* name_;
    QSpinBox* connections_;
    QSpinBox* threads_;
    QDoubleSpinBox* duration_;
    QSpinBox* requests_;
    QDoubleSpinBox* warmup_;
};

// Edits a candidate: name, stack tag (drives the decision table's default scores), notes.
class CandidateDialog : public QDialog {
    Q_OBJECT
public:
    CandidateDialog(const store::Candidate& candidate, QWidget* parent);
    store::Candidate candidate() const;

private:
    store::Candidate candidate_;
    QLineEdit* name_;
    QComboBox* stack_;
    QLineEdit* notes_;
};

} // namespace benchdeck::ui
