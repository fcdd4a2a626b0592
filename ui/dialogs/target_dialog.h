// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/session_content.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace benchdeck::ui {

// Edits a target: URL, method, headers, body, HTTP version, TLS verification, timeout. Validates as
// the user types and fills itself from a pasted "Copy as cURL" command.
class TargetDialog : public QDialog {
    Q_OBJECT
public:
    TargetDialog(const store::Target& target, const std::vector<store::Candidate>& candidates, QWidget* parent);
    store::Target target() const;
    bool keepSecrets() const;
    // Starts ticked when the target's secrets are already in the file, so that OK keeps them and
    // unticking takes them out.
    void setKeepSecrets(bool keep);
    // Fills the form from a curl command line; returns the problem, or an empty string.
    QString applyCurlCommand(const QString& command);

private:
    void validate();
    void setSecretsVisible(bool visible);
    // Renders hiddenHeaders_, masked unless `visible`; never reads the editor back.
    void showHeaders(bool visible);
    std::vector<engine::Header> headers() const;
    // A scenario replaces the URL, method and body with its steps; the rest of the form still applies.
    void setScenario(std::shared_ptr<const engine::ScenarioPlan> scenario);
    void editScenario();

    store::Target target_;
    QLineEdit* name_;
    QComboBox* candidate_;
    QLineEdit* url_;
    QComboBox* method_;
    QPlainTextEdit* headers_;
    QCheckBox* showSecrets_;
    QCheckBox* keepSecrets_;
    QPlainTextEdit* body_;
    QCheckBox* http2_;
    QSpinBox* streams_;
    QCheckBox* verifyTls_;
    QLineEdit* caCert_;
    QDoubleSpinBox* timeout_;
    QSpinBox* serverPid_;
    QLineEdit* serverCommand_;
    QPushButton* paste_;
    QLabel* scenarioLabel_;
    QPushButton* removeScenario_;
    std::shared_ptr<const engine::ScenarioPlan> scenario_;
    QLabel* problem_;
    QDialogButtonBox* buttons_;
    std::vector<engine::Header> hiddenHeaders_; // the real values while the editor shows them masked
};

} // namespace benchdeck::ui
