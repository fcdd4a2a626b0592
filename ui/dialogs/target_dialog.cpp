// SPDX-License-Identifier: Apache-2.0
#include "target_dialog.h"
#include "plan/plan_codec.h"

#include "engine/scenario_plan.h"
#include "engine/target_url.h"
#include "scenario_editor.h"
#include "io/curl_command.h"
#include "store/run_record.h"

#include <cmath>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>

namespace benchdeck::ui {
namespace {

constexpr auto kMask = "••••••••";

QString headerText(const std::vector<engine::Header>& headers, bool masked)
{
    QStringList lines;
    for (const auto& header : headers) {
        const bool secret = masked && plan::isCredentialHeader(header.name);
        lines << QString::fromStdString(header.name) + QStringLiteral(": ") +
                     (secret ? QString::fromUtf8(kMask) : QString::fromStdString(header.value));
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace

TargetDialog::TargetDialog(const store::Target& target, const std::vector<store::Candidate>& candidates,
                           QWidget* parent)
    : QDialog(parent)
    , target_(target)
{
    setWindowTitle(target.id ? tr("Edit target") : tr("New target"));
    name_ = new QLineEdit(QString::fromStdString(target.name), this);
    name_->setPlaceholderText(tr("e.g. JSON hello"));
    candidate_ = new QComboBox(this);
    candidate_->addItem(tr("(none)"), qint64(0));
    for (const auto& c : candidates) {
        candidate_->addItem(QString::fromStdString(c.name), qint64(c.id));
    }
    candidate_->setCurrentIndex(std::max(0, candidate_->findData(qint64(target.candidateId))));
    url_ = new QLineEdit(QString::fromStdString(target.request.url), this);
    url_->setPlaceholderText(QStringLiteral("http://127.0.0.1:8080/json"));
    method_ = new QComboBox(this);
    method_->setEditable(true);
    method_->addItems({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"});
    method_->setCurrentText(QString::fromStdString(target.request.method));
    headers_ = new QPlainTextEdit(this);
    headers_->setPlaceholderText(tr("One per line: Name: value"));
    headers_->setMaximumHeight(110);
    showSecrets_ = new QCheckBox(tr("Show secret values (Authorization, cookies, API keys)"), this);
    keepSecrets_ = new QCheckBox(tr("Keep secret values in the session file"), this);
    keepSecrets_->setToolTip(tr("Off: secrets are used while Benchdeck is open but never written to the file; "
                                "re-enter them after reopening the session"));
    body_ = new QPlainTextEdit(QString::fromStdString(target.request.body), this);
    body_->setMaximumHeight(110);
    http2_ = new QCheckBox(tr("HTTP/2 (h2 over https, h2c over http)"), this);
    http2_->setChecked(target.request.httpVersion == engine::HttpVersion::Http2);
    http2_->setObjectName(QStringLiteral("http2"));
    streams_ = new QSpinBox(this);
    streams_->setObjectName(QStringLiteral("streams"));
    streams_->setRange(1, engine::kMaxStreams);
    streams_->setValue(target.request.streams);
    streams_->setSuffix(tr(" per connection"));
    streams_->setToolTip(tr("HTTP/2 streams each connection carries at once, each one user: the profile's "
                            "connections times this are the users (1 compares like with like)"));
    verifyTls_ = new QCheckBox(tr("Verify TLS certificates"), this);
    verifyTls_->setChecked(!target.request.insecure);
    caCert_ = new QLineEdit(QString::fromStdString(target.request.caCertFile), this);
    caCert_->setObjectName(QStringLiteral("caCert"));
    caCert_->setPlaceholderText(tr("optional: a private CA's certificates (PEM)"));
    caCert_->setToolTip(tr("Trusted besides the system's certificate store, like curl's --cacert"));
    auto* browseCaCert = new QPushButton(tr("Browse…"), this);
    connect(browseCaCert, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("CA certificates"), caCert_->text(),
                                                          tr("PEM certificates (*.pem *.crt *.cer);;All files (*)"));
        if (!file.isEmpty()) {
            caCert_->setText(file);
        }
    });
    auto* caCertRow = new QHBoxLayout;
    caCertRow->addWidget(caCert_, 1);
    caCertRow->addWidget(browseCaCert);
    timeout_ = new QDoubleSpinBox(this);
    timeout_->setRange(0.1, 600);
    timeout_->setSuffix(tr(" s"));
    timeout_->setValue(double(target.request.requestTimeout.count()) / 1e6);
    serverPid_ = new QSpinBox(this);
    serverPid_->setRange(0, 4194304);
    serverPid_->setSpecialValueText(tr("none"));
    serverPid_->setValue(int(target.serverPid));
    serverPid_->setToolTip(tr("A local server process: its memory and CPU (with its children) are sampled during runs"));
    serverCommand_ = new QLineEdit(QString::fromStdString(target.serverCommand), this);
    serverCommand_->setPlaceholderText(tr("optional, e.g. exec ./server --port 8080"));
    serverCommand_->setToolTip(tr("Started before each run and stopped after it, its memory and CPU sampled. "
                                  "Benchdeck asks before running it."));
    scenarioLabel_ = new QLabel(this);
    scenarioLabel_->setObjectName(QStringLiteral("scenarioSummary"));
    auto* editScenario = new QPushButton(tr("Edit &scenario…"), this);
    editScenario->setObjectName(QStringLiteral("editScenario"));
    editScenario->setToolTip(tr("Several steps instead of one request: log in, list, open an item, with values "
                                "carried from one answer to the next request"));
    removeScenario_ = new QPushButton(tr("Single request"), this);
    removeScenario_->setToolTip(tr("Forget the scenario and load the URL above with one request"));
    connect(editScenario, &QPushButton::clicked, this, &TargetDialog::editScenario);
    connect(removeScenario_, &QPushButton::clicked, this, [this] { setScenario(nullptr); });
    auto* scenarioRow = new QHBoxLayout;
    scenarioRow->addWidget(scenarioLabel_, 1);
    scenarioRow->addWidget(editScenario);
    scenarioRow->addWidget(removeScenario_);
    problem_ = new QLabel(this);
    problem_->setWordWrap(true);
    problem_->setStyleSheet(QStringLiteral("QLabel { color: #c62828; }"));
    auto* paste = new QPushButton(tr("Paste curl command…"), this);
    paste_ = paste;
    paste->setToolTip(tr("Fill the form from a command copied with your browser's \"Copy as cURL\""));
    connect(paste, &QPushButton::clicked, this, [this] {
        bool ok = false;
        const QString command = QInputDialog::getMultiLineText(this, tr("Paste curl command"),
                                                               tr("curl command line:"), QString(), &ok);
        if (ok && !command.trimmed().isEmpty()) {
            const QString problem = applyCurlCommand(command);
            if (!problem.isEmpty()) {
                problem_->setText(problem);
            }
        }
    });
    buttons_ = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* form = new QFormLayout(this);
    form->addRow(paste);
    form->addRow(tr("&Name:"), name_);
    form->addRow(tr("&Candidate:"), candidate_);
    form->addRow(tr("&URL:"), url_);
    form->addRow(tr("Scenario:"), scenarioRow);
    form->addRow(tr("&Method:"), method_);
    form->addRow(tr("&Headers:"), headers_);
    form->addRow(QString(), showSecrets_);
    form->addRow(QString(), keepSecrets_);
    form->addRow(tr("&Body:"), body_);
    form->addRow(QString(), http2_);
    form->addRow(tr("&Streams:"), streams_);
    form->addRow(QString(), verifyTls_);
    auto* caCertLabel = new QLabel(tr("C&A certificates:"), this); // a row of two widgets: the buddy is set here
    caCertLabel->setBuddy(caCert_);
    form->addRow(caCertLabel, caCertRow);
    form->addRow(tr("&Timeout:"), timeout_);
    form->addRow(tr("Server &PID:"), serverPid_);
    form->addRow(tr("Server co&mmand:"), serverCommand_);
    form->addRow(problem_);
    form->addRow(buttons_);

    hiddenHeaders_ = target.request.headers;
    showHeaders(false); // the editor is still empty: reading it back now would lose every header
    connect(showSecrets_, &QCheckBox::toggled, this, &TargetDialog::setSecretsVisible);
    for (auto* edit : {url_, name_}) {
        connect(edit, &QLineEdit::textChanged, this, &TargetDialog::validate);
    }
    connect(headers_, &QPlainTextEdit::textChanged, this, &TargetDialog::validate);
    connect(method_, &QComboBox::currentTextChanged, this, &TargetDialog::validate);
    connect(http2_, &QCheckBox::toggled, this, &TargetDialog::validate);
    connect(verifyTls_, &QCheckBox::toggled, this, &TargetDialog::validate);
    connect(caCert_, &QLineEdit::textChanged, this, &TargetDialog::validate);
    resize(560, sizeHint().height());
    setScenario(target.request.scenario);
}

void TargetDialog::setScenario(std::shared_ptr<const engine::ScenarioPlan> scenario)
{
    scenario_ = std::move(scenario);
    if (scenario_) {
        const auto steps = scenario_->stepCount();
        const std::string& file = scenario_->file;
        scenarioLabel_->setText((steps == 1 ? tr("1 step") : tr("%1 steps").arg(steps)) +
                                (file.empty() ? QString() : tr(", from %1").arg(QString::fromStdString(file))));
        url_->setText(QString::fromStdString(scenario_->origin));
    } else {
        scenarioLabel_->setText(tr("none: one request to the URL"));
    }
    // The steps give their own URLs, methods and bodies; the URL field then names the server.
    url_->setReadOnly(scenario_ != nullptr);
    method_->setEnabled(!scenario_);
    body_->setEnabled(!scenario_);
    http2_->setEnabled(!scenario_);
    paste_->setEnabled(!scenario_); // a curl command is one request: it would not fill a scenario
    removeScenario_->setEnabled(scenario_ != nullptr);
    validate();
}

void TargetDialog::editScenario()
{
    store::Target current = target();
    current.request.scenario.reset();
    ScenarioEditorDialog editor(scenario_, current.request, this);
    if (editor.exec() == QDialog::Accepted && editor.scenario()) {
        setScenario(editor.scenario());
    }
}

void TargetDialog::setSecretsVisible(bool visible)
{
    if (!visible && !headers_->isReadOnly()) {
        hiddenHeaders_ = headers(); // the user's edits, kept before they are masked
    }
    showHeaders(visible);
}

void TargetDialog::showHeaders(bool visible)
{
    const bool anySecret = std::any_of(hiddenHeaders_.begin(), hiddenHeaders_.end(),
                                       [](const engine::Header& h) { return plan::isCredentialHeader(h.name); });
    const QSignalBlocker blocker(headers_);
    headers_->setPlainText(headerText(hiddenHeaders_, !visible && anySecret));
    // Masked text cannot be edited without destroying the secret it hides.
    headers_->setReadOnly(!visible && anySecret);
    headers_->setToolTip(headers_->isReadOnly() ? tr("Tick \"Show secret values\" to edit") : QString());
    showSecrets_->setEnabled(anySecret || visible);
    validate();
}

std::vector<engine::Header> TargetDialog::headers() const
{
    if (headers_->isReadOnly()) {
        return hiddenHeaders_;
    }
    std::vector<engine::Header> list;
    for (const QString& line : headers_->toPlainText().split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        std::string ignored;
        if (auto header = engine::parseHeaderLine(line.trimmed().toStdString(), &ignored)) {
            list.push_back(*header);
        }
    }
    return list;
}

void TargetDialog::validate()
{
    QString problem;
    std::string error;
    const auto url = engine::parseTargetUrl(url_->text().trimmed().toStdString(), &error);
    if (url_->text().trimmed().isEmpty()) {
        problem = tr("Enter the URL to load, e.g. http://127.0.0.1:8080/json");
    } else if (!url) {
        problem = QString::fromStdString(error);
    } else if (!caCert_->text().trimmed().isEmpty() && !QFileInfo(caCert_->text().trimmed()).isReadable()) {
        problem = tr("Cannot read the CA certificate file %1").arg(caCert_->text().trimmed());
    }
    streams_->setEnabled(http2_->isChecked());
    caCert_->setEnabled(verifyTls_->isChecked());
    if (problem.isEmpty() && !headers_->isReadOnly()) {
        for (const QString& line : headers_->toPlainText().split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            if (!engine::parseHeaderLine(line.trimmed().toStdString(), &error)) {
                problem = QString::fromStdString(error);
                break;
            }
        }
    }
    url_->setStyleSheet(url || url_->text().isEmpty() ? QString() : QStringLiteral("QLineEdit { color: #c62828; }"));
    problem_->setText(problem);
    buttons_->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

QString TargetDialog::applyCurlCommand(const QString& command)
{
    std::string error;
    const auto imported = io::parseCurlCommand(command.toStdString(), &error);
    if (!imported) {
        return tr("Not imported: %1").arg(QString::fromStdString(error));
    }
    const auto& request = imported->request;
    url_->setText(QString::fromStdString(request.url));
    method_->setCurrentText(QString::fromStdString(request.method));
    hiddenHeaders_ = request.headers;
    showHeaders(showSecrets_->isChecked());
    body_->setPlainText(QString::fromStdString(request.body));
    http2_->setChecked(request.httpVersion == engine::HttpVersion::Http2);
    verifyTls_->setChecked(!request.insecure);
    caCert_->setText(QString::fromStdString(request.caCertFile));
    if (name_->text().isEmpty()) {
        const auto url = engine::parseTargetUrl(request.url, &error);
        name_->setText(url ? QString::fromStdString(url->host + url->pathAndQuery) : QString());
    }
    QStringList warnings;
    for (const auto& warning : imported->warnings) {
        warnings << QString::fromStdString(warning);
    }
    if (!warnings.isEmpty()) {
        problem_->setText(tr("Imported, with notes: %1").arg(warnings.join(QStringLiteral("; "))));
    }
    return {};
}

void TargetDialog::setKeepSecrets(bool keep)
{
    keepSecrets_->setChecked(keep);
}

bool TargetDialog::keepSecrets() const
{
    return keepSecrets_->isChecked();
}

store::Target TargetDialog::target() const
{
    store::Target t = target_;
    t.name = name_->text().trimmed().toStdString();
    t.candidateId = candidate_->currentData().toLongLong();
    t.request.url = url_->text().trimmed().toStdString();
    t.request.method = method_->currentText().trimmed().toUpper().toStdString();
    t.request.headers = headers();
    t.request.body = body_->toPlainText().toStdString();
    t.request.httpVersion = http2_->isChecked() ? engine::HttpVersion::Http2 : engine::HttpVersion::Http1;
    t.request.insecure = !verifyTls_->isChecked();
    t.request.streams = http2_->isChecked() ? streams_->value() : 1;
    t.request.caCertFile = caCert_->text().trimmed().toStdString();
    t.request.requestTimeout = engine::Micros(std::llround(timeout_->value() * 1e6));
    t.request.scenario = scenario_;
    if (scenario_) {
        t.request.method = "GET"; // the steps carry their own
        t.request.body.clear();
        t.request.httpVersion = engine::HttpVersion::Http1;
        t.request.streams = 1;
    }
    t.serverPid = serverPid_->value();
    t.serverCommand = serverCommand_->text().trimmed().toStdString();
    return t;
}

} // namespace benchdeck::ui
