// SPDX-License-Identifier: Apache-2.0
#include "scenario_editor.h"

#include "plan/plan_codec.h"
#include "plan/scenario_codec.h"
#include "plan/scenario_file.h"
#include "engine/target_url.h"
#include "scenario/csv_data.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSplitter>
#include <QTableWidget>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrent>

namespace benchdeck::ui {
namespace {

// The extractor sources and check kinds as the file names them (docs/scenarios.md).
const QStringList kSources = {QStringLiteral("json"), QStringLiteral("regex"), QStringLiteral("header"),
                              QStringLiteral("status")};
const QStringList kCheckKinds = {QStringLiteral("status"), QStringLiteral("body_contains"), QStringLiteral("json")};

QTableWidget* makeTable(const QStringList& headers, QWidget* parent)
{
    auto* table = new QTableWidget(0, int(headers.size()), parent);
    table->setHorizontalHeaderLabels(headers);
    table->horizontalHeader()->setStretchLastSection(true);
    table->verticalHeader()->hide();
    table->setMinimumHeight(60);
    table->setMaximumHeight(96);
    return table;
}

QComboBox* comboIn(QTableWidget* table, int row, const QStringList& items, const QString& current)
{
    auto* combo = new QComboBox(table);
    combo->addItems(items);
    combo->setCurrentText(current);
    table->setCellWidget(row, 0, combo);
    return combo;
}

QString cell(const QTableWidget* table, int row, int column)
{
    const auto* item = table->item(row, column);
    return item ? item->text().trimmed() : QString();
}

QString comboText(const QTableWidget* table, int row, int column)
{
    const auto* combo = qobject_cast<QComboBox*>(table->cellWidget(row, column));
    return combo ? combo->currentText() : QString();
}

// Extractors as rows: variable | source | expression.
void fillExtractors(QTableWidget* table, const QJsonArray& extractors)
{
    table->setRowCount(0);
    for (const auto& value : extractors) {
        const QJsonObject extractor = value.toObject();
        const int row = table->rowCount();
        table->insertRow(row);
        QString source = QStringLiteral("json");
        for (const QString& key : kSources) {
            if (extractor.contains(key)) {
                source = key;
            }
        }
        table->setItem(row, 1, new QTableWidgetItem(extractor.value(QStringLiteral("var")).toString()));
        comboIn(table, row, kSources, source);
        table->setItem(row, 2, new QTableWidgetItem(source == QLatin1String("status")
                                                        ? QString()
                                                        : extractor.value(source).toString()));
    }
}

QJsonArray readExtractors(const QTableWidget* table)
{
    QJsonArray list;
    for (int row = 0; row < table->rowCount(); ++row) {
        const QString source = comboText(table, row, 0);
        QJsonObject extractor{{QStringLiteral("var"), cell(table, row, 1)}};
        if (source == QLatin1String("status")) {
            extractor.insert(source, true);
        } else {
            extractor.insert(source, cell(table, row, 2));
        }
        list.append(extractor);
    }
    return list;
}

// Checks as rows: kind | what (status codes, text or JSON pointer) | expected JSON value.
void fillChecks(QTableWidget* table, const QJsonArray& checks)
{
    table->setRowCount(0);
    for (const auto& value : checks) {
        const QJsonObject check = value.toObject();
        const int row = table->rowCount();
        table->insertRow(row);
        QString kind = QStringLiteral("status");
        QString what;
        QString expected;
        if (check.contains(QStringLiteral("status"))) {
            QStringList codes;
            for (const auto& code : check.value(QStringLiteral("status")).toArray()) {
                codes << QString::number(code.toInt());
            }
            what = codes.join(QStringLiteral(", "));
        } else if (check.contains(QStringLiteral("body_contains"))) {
            kind = QStringLiteral("body_contains");
            what = check.value(QStringLiteral("body_contains")).toString();
        } else {
            kind = QStringLiteral("json");
            what = check.value(QStringLiteral("json")).toString();
            expected = QString::fromUtf8(
                QJsonDocument(QJsonArray{check.value(QStringLiteral("equals"))}).toJson(QJsonDocument::Compact));
            expected = expected.mid(1, expected.size() - 2); // the value alone, out of its one-item list
        }
        comboIn(table, row, kCheckKinds, kind);
        table->setItem(row, 1, new QTableWidgetItem(what));
        table->setItem(row, 2, new QTableWidgetItem(expected));
    }
}

QJsonArray readChecks(const QTableWidget* table)
{
    QJsonArray list;
    for (int row = 0; row < table->rowCount(); ++row) {
        const QString kind = comboText(table, row, 0);
        const QString what = cell(table, row, 1);
        if (kind == QLatin1String("status")) {
            QJsonArray codes;
            for (const QString& code : what.split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts)) {
                bool ok = false;
                const int number = code.toInt(&ok);
                codes.append(ok ? QJsonValue(number) : QJsonValue(code)); // the reader says what is wrong
            }
            list.append(QJsonObject{{kind, codes}});
        } else if (kind == QLatin1String("body_contains")) {
            list.append(QJsonObject{{kind, what}});
        } else {
            // The expected value is JSON (42, true, "text"); bare words are taken as text.
            const QString expected = cell(table, row, 2);
            const QJsonDocument parsed = QJsonDocument::fromJson(("[" + expected + "]").toUtf8());
            const QJsonValue value = parsed.isArray() && parsed.array().size() == 1 ? parsed.array().at(0)
                                                                                    : QJsonValue(expected);
            list.append(QJsonObject{{QStringLiteral("json"), what}, {QStringLiteral("equals"), value}});
        }
    }
    return list;
}

QString headerLines(const QJsonValue& headers)
{
    QStringList lines;
    if (headers.isObject()) {
        const QJsonObject object = headers.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            lines << it.key() + QStringLiteral(": ") + it.value().toString();
        }
    } else {
        for (const auto& value : headers.toArray()) {
            const QJsonObject header = value.toObject();
            lines << header.value(QStringLiteral("name")).toString() + QStringLiteral(": ") +
                         header.value(QStringLiteral("value")).toString();
        }
    }
    return lines.join(QLatin1Char('\n'));
}

// "Name: value" lines as the file's list form, which keeps their order and repeats.
QJsonArray readHeaderLines(const QString& text)
{
    QJsonArray list;
    for (const QString& line : text.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        const qsizetype colon = line.indexOf(QLatin1Char(':'));
        list.append(QJsonObject{{QStringLiteral("name"), line.left(colon).trimmed()},
                                {QStringLiteral("value"), colon < 0 ? QString() : line.mid(colon + 1).trimmed()}});
    }
    return list;
}

QString bodyText(const QJsonValue& body)
{
    return body.isString() ? body.toString()
                           : QString::fromUtf8(QJsonDocument::fromVariant(body.toVariant()).toJson(QJsonDocument::Compact));
}

QString constantLines(const QJsonObject& variables)
{
    QStringList lines;
    for (auto it = variables.begin(); it != variables.end(); ++it) {
        lines << it.key() + QStringLiteral(" = ") + it.value().toString();
    }
    return lines.join(QLatin1Char('\n'));
}

QJsonObject readConstants(const QString& text)
{
    QJsonObject variables;
    for (const QString& line : text.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        const qsizetype equals = line.indexOf(QLatin1Char('='));
        variables.insert(line.left(equals).trimmed(), equals < 0 ? QString() : line.mid(equals + 1).trimmed());
    }
    return variables;
}

// A value shown in the results, masked when its name says it is a credential.
QString shown(const std::string& name, const std::string& value)
{
    return plan::isCredentialHeader(name) && !value.empty() ? QStringLiteral("••••••••") : QString::fromStdString(value);
}

} // namespace

ScenarioEditorDialog::ScenarioEditorDialog(std::shared_ptr<const engine::ScenarioPlan> scenario,
                                           engine::RunConfig settings, QWidget* parent)
    : QDialog(parent)
    , settings_(std::move(settings))
{
    setWindowTitle(tr("Scenario"));
    settings_.scenario.reset();
    if (scenario) {
        workload_ = plan::toJson(scenario->workload);
        file_ = scenario->file;
        dataFiles_ = scenario->dataFiles;
        if (const auto runnable = scenario->program ? scenario : plan::reloadScenarioData(*scenario, &dataError_)) {
            for (const auto& feeder : runnable->program->feeders()) {
                data_.push_back(feeder.table);
            }
        }
    } else {
        std::string ignored;
        const auto url = engine::parseTargetUrl(settings_.url, &ignored);
        const QString base = url ? QString::fromStdString(url->scheme + "://" + url->hostHeader)
                                 : QStringLiteral("http://127.0.0.1:8080");
        const QString path = url ? QString::fromStdString(url->pathAndQuery) : QStringLiteral("/");
        workload_ = QJsonObject{
            {QStringLiteral("benchdeck_scenario"), plan::kScenarioFormat},
            {QStringLiteral("variables"), QJsonObject{{QStringLiteral("base"), base}}},
            {QStringLiteral("scenarios"),
             QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("main")},
                                    {QStringLiteral("weight"), 1},
                                    {QStringLiteral("steps"),
                                     QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("first")},
                                                            {QStringLiteral("method"), QStringLiteral("GET")},
                                                            {QStringLiteral("url"), "{{base}}" + path}}}}}}}};
    }

    scenarioChoice_ = new QComboBox(this);
    constants_ = new QPlainTextEdit(constantLines(workload_.value(QStringLiteral("variables")).toObject()), this);
    constants_->setPlaceholderText(tr("One per line: name = value, used as {{name}}"));
    constants_->setMaximumHeight(48);
    constants_->setObjectName(QStringLiteral("constants"));
    stepList_ = new QListWidget(this);
    stepList_->setObjectName(QStringLiteral("steps"));
    auto* add = new QPushButton(tr("&Add step"), this);
    auto* remove = new QPushButton(tr("Re&move"), this);
    auto* up = new QPushButton(tr("Up"), this);
    auto* down = new QPushButton(tr("Down"), this);
    name_ = new QLineEdit(this);
    method_ = new QComboBox(this);
    method_->setEditable(true);
    method_->addItems({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"});
    name_->setObjectName(QStringLiteral("stepName"));
    url_ = new QLineEdit(this);
    url_->setObjectName(QStringLiteral("stepUrl"));
    url_->setPlaceholderText(QStringLiteral("{{base}}/items/{{id}}"));
    headers_ = new QPlainTextEdit(this);
    headers_->setPlaceholderText(tr("One per line: Name: value (values may use {{variables}})"));
    headers_->setMaximumHeight(52);
    body_ = new QPlainTextEdit(this);
    body_->setMaximumHeight(52);
    extractors_ = makeTable({tr("From"), tr("Variable"), tr("Pointer, expression or header")}, this);
    extractors_->setObjectName(QStringLiteral("extractors"));
    checks_ = makeTable({tr("Check"), tr("Codes, text or pointer"), tr("Equals (JSON)")}, this);
    checks_->setColumnWidth(0, 140);
    checks_->setColumnWidth(1, 220);
    extractors_->setColumnWidth(0, 100);
    extractors_->setColumnWidth(1, 140);
    checks_->setObjectName(QStringLiteral("checks"));
    auto* addExtractor = new QPushButton(tr("Add e&xtractor"), this);
    auto* addCheck = new QPushButton(tr("Add chec&k"), this);
    think_ = new QLineEdit(this);
    think_->setPlaceholderText(tr("none, 500ms or 1s-3s"));
    problem_ = new QLabel(this);
    problem_->setWordWrap(true);
    problem_->setObjectName(QStringLiteral("problem"));
    try_ = new QPushButton(tr("&Try once"), this);
    try_->setObjectName(QStringLiteral("tryOnce"));
    try_->setToolTip(tr("Run one iteration against the server and show each request, answer and extracted value"));
    results_ = new QTreeWidget(this);
    results_->setObjectName(QStringLiteral("tryResults"));
    results_->setHeaderLabels({tr("Step"), tr("Detail")});
    results_->setColumnWidth(0, 220);
    results_->setMinimumHeight(220);
    buttons_ = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);

    auto* stepButtons = new QHBoxLayout;
    for (auto* button : {add, remove, up, down}) {
        stepButtons->addWidget(button);
    }
    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(new QLabel(tr("Steps, in order:"), left));
    leftLayout->addWidget(stepList_);
    leftLayout->addLayout(stepButtons);
    auto* request = new QGroupBox(tr("Step"), this);
    auto* form = new QFormLayout(request);
    form->addRow(tr("&Name:"), name_);
    form->addRow(tr("&Method:"), method_);
    form->addRow(tr("&URL:"), url_);
    form->addRow(tr("&Headers:"), headers_);
    form->addRow(tr("&Body:"), body_);
    form->addRow(tr("Extractors:"), extractors_);
    form->addRow(QString(), addExtractor);
    form->addRow(tr("Checks:"), checks_);
    form->addRow(QString(), addCheck);
    form->addRow(tr("Th&ink after:"), think_);
    auto* split = new QSplitter(this);
    split->addWidget(left);
    split->addWidget(request);
    split->setStretchFactor(1, 2);
    auto* top = new QFormLayout;
    top->addRow(tr("&Scenario:"), scenarioChoice_);
    top->addRow(tr("&Constants:"), constants_);
    auto* tryRow = new QHBoxLayout;
    tryRow->addWidget(try_);
    tryRow->addWidget(problem_, 1);
    auto* tryPane = new QWidget(this);
    auto* tryLayout = new QVBoxLayout(tryPane);
    tryLayout->setContentsMargins(0, 0, 0, 0);
    tryLayout->addLayout(tryRow);
    tryLayout->addWidget(results_);
    auto* vertical = new QSplitter(Qt::Vertical, this);
    vertical->addWidget(split);
    vertical->addWidget(tryPane);
    vertical->setStretchFactor(0, 3);
    vertical->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(vertical, 1);
    layout->addWidget(buttons_);

    connect(buttons_, &QDialogButtonBox::accepted, this, [this] {
        storeStep();
        recompile();
        if (compiled_) {
            accept();
        }
    });
    connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(stepList_, &QListWidget::currentRowChanged, this, [this](int row) {
        if (!loading_) {
            storeStep();
            showStep(row);
        }
    });
    connect(scenarioChoice_, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (!loading_ && index >= 0) {
            storeStep();
            scenario_ = index;
            step_ = -1;
            buildScenarioList();
        }
    });
    connect(add, &QPushButton::clicked, this, &ScenarioEditorDialog::addStep);
    connect(remove, &QPushButton::clicked, this, &ScenarioEditorDialog::removeStep);
    connect(up, &QPushButton::clicked, this, [this] { moveStep(-1); });
    connect(down, &QPushButton::clicked, this, [this] { moveStep(1); });
    connect(addExtractor, &QPushButton::clicked, this, [this] {
        const int row = extractors_->rowCount();
        extractors_->insertRow(row);
        comboIn(extractors_, row, kSources, QStringLiteral("json"));
        extractors_->setItem(row, 1, new QTableWidgetItem(QStringLiteral("token")));
        extractors_->setItem(row, 2, new QTableWidgetItem(QStringLiteral("/token")));
    });
    connect(addCheck, &QPushButton::clicked, this, [this] {
        const int row = checks_->rowCount();
        checks_->insertRow(row);
        comboIn(checks_, row, kCheckKinds, QStringLiteral("status"));
        checks_->setItem(row, 1, new QTableWidgetItem(QStringLiteral("200")));
        checks_->setItem(row, 2, new QTableWidgetItem);
    });
    connect(try_, &QPushButton::clicked, this, &ScenarioEditorDialog::tryOnce);
    connect(&tryWatcher_, &QFutureWatcher<std::vector<engine::ProbeStep>>::finished, this, [this] {
        showTryResults(tryWatcher_.result());
        try_->setEnabled(true);
        emit tryFinished();
    });

    buildScenarioList();
    recompile();
    resize(980, 760);
}

ScenarioEditorDialog::~ScenarioEditorDialog()
{
    cancelTry_ = true;
    tryWatcher_.waitForFinished(); // its thread reads compiled_ and settings_
}

QString ScenarioEditorDialog::problem() const
{
    return problem_->text();
}

QJsonArray ScenarioEditorDialog::steps() const
{
    return workload_.value(QStringLiteral("scenarios")).toArray().at(scenario_).toObject().value(QStringLiteral("steps")).toArray();
}

void ScenarioEditorDialog::setSteps(const QJsonArray& steps)
{
    QJsonArray scenarios = workload_.value(QStringLiteral("scenarios")).toArray();
    QJsonObject scenario = scenarios.at(scenario_).toObject();
    scenario.insert(QStringLiteral("steps"), steps);
    scenarios.replace(scenario_, scenario);
    workload_.insert(QStringLiteral("scenarios"), scenarios);
}

void ScenarioEditorDialog::buildScenarioList()
{
    loading_ = true;
    scenarioChoice_->clear();
    for (const auto& value : workload_.value(QStringLiteral("scenarios")).toArray()) {
        const QJsonObject scenario = value.toObject();
        scenarioChoice_->addItem(tr("%1 (weight %2)")
                                     .arg(scenario.value(QStringLiteral("name")).toString())
                                     .arg(scenario.value(QStringLiteral("weight")).toDouble()));
    }
    scenarioChoice_->setCurrentIndex(scenario_);
    scenarioChoice_->setEnabled(scenarioChoice_->count() > 1);
    stepList_->clear();
    for (const auto& value : steps()) {
        stepList_->addItem(value.toObject().value(QStringLiteral("name")).toString());
    }
    stepList_->setCurrentRow(std::clamp(step_, 0, int(stepList_->count()) - 1));
    loading_ = false;
    showStep(stepList_->currentRow());
}

void ScenarioEditorDialog::showStep(int index)
{
    loading_ = true;
    step_ = index;
    const QJsonObject step = steps().at(index).toObject();
    name_->setText(step.value(QStringLiteral("name")).toString());
    method_->setCurrentText(step.value(QStringLiteral("method")).toString(QStringLiteral("GET")));
    url_->setText(step.value(QStringLiteral("url")).toString());
    headers_->setPlainText(headerLines(step.value(QStringLiteral("headers"))));
    body_->setPlainText(step.contains(QStringLiteral("body")) ? bodyText(step.value(QStringLiteral("body"))) : QString());
    fillExtractors(extractors_, step.value(QStringLiteral("extract")).toArray());
    fillChecks(checks_, step.value(QStringLiteral("check")).toArray());
    think_->setText(step.value(QStringLiteral("think")).toString());
    loading_ = false;
}

void ScenarioEditorDialog::storeStep()
{
    workload_.insert(QStringLiteral("variables"), readConstants(constants_->toPlainText()));
    QJsonArray list = steps();
    if (step_ < 0 || step_ >= list.size()) {
        return;
    }
    QJsonObject step{{QStringLiteral("name"), name_->text().trimmed()},
                     {QStringLiteral("method"), method_->currentText().trimmed().toUpper()},
                     {QStringLiteral("url"), url_->text().trimmed()}};
    if (const QJsonArray headers = readHeaderLines(headers_->toPlainText()); !headers.isEmpty()) {
        step.insert(QStringLiteral("headers"), headers);
    }
    if (!body_->toPlainText().isEmpty()) {
        step.insert(QStringLiteral("body"), body_->toPlainText());
    }
    if (const QJsonArray extractors = readExtractors(extractors_); !extractors.isEmpty()) {
        step.insert(QStringLiteral("extract"), extractors);
    }
    if (const QJsonArray checks = readChecks(checks_); !checks.isEmpty()) {
        step.insert(QStringLiteral("check"), checks);
    }
    if (!think_->text().trimmed().isEmpty()) {
        step.insert(QStringLiteral("think"), think_->text().trimmed());
    }
    list.replace(step_, step);
    setSteps(list);
    if (auto* item = stepList_->item(step_)) {
        item->setText(name_->text().trimmed());
    }
    recompile();
}

void ScenarioEditorDialog::addStep()
{
    storeStep();
    QJsonArray list = steps();
    const QJsonObject last = list.isEmpty() ? QJsonObject() : list.last().toObject();
    list.append(QJsonObject{{QStringLiteral("name"), tr("step %1").arg(list.size() + 1)},
                            {QStringLiteral("method"), QStringLiteral("GET")},
                            {QStringLiteral("url"), last.value(QStringLiteral("url")).toString()}});
    setSteps(list);
    step_ = int(list.size()) - 1;
    buildScenarioList();
    recompile();
}

void ScenarioEditorDialog::removeStep()
{
    QJsonArray list = steps();
    if (list.size() <= 1 || step_ < 0) {
        problem_->setText(tr("A scenario needs at least one step."));
        return;
    }
    list.removeAt(step_);
    setSteps(list);
    step_ = std::min(step_, int(list.size()) - 1);
    buildScenarioList();
    recompile();
}

void ScenarioEditorDialog::moveStep(int by)
{
    storeStep();
    QJsonArray list = steps();
    const int to = step_ + by;
    if (step_ < 0 || to < 0 || to >= list.size()) {
        return;
    }
    const QJsonValue moved = list.at(step_);
    list.replace(step_, list.at(to));
    list.replace(to, moved);
    setSteps(list);
    step_ = to;
    buildScenarioList();
    recompile();
}

void ScenarioEditorDialog::recompile()
{
    std::string error;
    compiled_.reset();
    if (auto workload = plan::workloadFromJson(workload_, &error)) {
        if (!dataError_.empty()) {
            error = dataError_;
        } else {
            compiled_ = engine::makeScenarioPlan(std::move(*workload), file_, dataFiles_, data_, &error);
        }
    }
    problem_->setText(compiled_ ? QString() : QString::fromStdString(error));
    buttons_->button(QDialogButtonBox::Ok)->setEnabled(true); // OK says what is wrong rather than doing nothing
    try_->setEnabled(compiled_ != nullptr && !tryWatcher_.isRunning());
}

void ScenarioEditorDialog::tryOnce()
{
    storeStep();
    if (!compiled_ || tryWatcher_.isRunning()) {
        return;
    }
    try_->setEnabled(false);
    results_->clear();
    results_->addTopLevelItem(new QTreeWidgetItem({tr("Trying…"), QString::fromStdString(compiled_->origin)}));
    auto plan = compiled_;
    const auto settings = settings_;
    const int scenario = scenario_;
    tryWatcher_.setFuture(QtConcurrent::run([plan, settings, scenario, this] {
        return engine::tryOnce(*plan, settings, size_t(scenario), &cancelTry_);
    }));
}

void ScenarioEditorDialog::showTryResults(const std::vector<engine::ProbeStep>& steps)
{
    results_->clear();
    for (size_t i = 0; i < steps.size(); ++i) {
        const auto& step = steps[i];
        const QString outcome = !step.problem.empty() ? QString::fromStdString(step.problem)
                                : tr("%1 in %2 ms").arg(step.status).arg(step.milliseconds, 0, 'f', 1);
        auto* item = new QTreeWidgetItem(
            {QStringLiteral("%1. %2 %3").arg(i + 1).arg(step.passed() ? QStringLiteral("✓") : QStringLiteral("✗"),
                                                       QString::fromStdString(step.step)),
             outcome});
        item->setForeground(0, step.passed() ? QColor(0x2e, 0x7d, 0x32) : QColor(0xc6, 0x28, 0x28));
        const auto child = [](QTreeWidgetItem* parent, const QString& what, const QString& detail) {
            auto* added = new QTreeWidgetItem({what, detail});
            parent->addChild(added);
            return added;
        };
        // Request and answer fold their headers and bodies away; what a step took and how it was
        // judged stays in view.
        auto* request = child(item, tr("Request"), QString::fromStdString(step.method + " " + step.url));
        for (const auto& [name, value] : step.requestHeaders) {
            child(request, QStringLiteral("> ") + QString::fromStdString(name), shown(name, value));
        }
        if (!step.requestBody.empty()) {
            child(request, tr("body"), QString::fromStdString(step.requestBody));
        }
        if (step.sent && step.problem.empty()) {
            auto* response = child(item, tr("Response"),
                                   QStringLiteral("%1 · %2").arg(step.status).arg(QString::fromStdString(step.responseBody).left(120)));
            for (const auto& [name, value] : step.responseHeaders) {
                child(response, QStringLiteral("< ") + QString::fromStdString(name), shown(name, value));
            }
            child(response, tr("body"),
                  QString::fromStdString(step.responseBody) + (step.bodyTruncated ? tr(" … (cut)") : QString()));
        }
        for (const auto& extraction : step.extracted) {
            child(item, QStringLiteral("{{%1}}").arg(QString::fromStdString(extraction.variable)),
                  extraction.found ? shown(extraction.variable, extraction.value) : tr("nothing found in the answer"));
        }
        for (const auto& [check, passed] : step.checks) {
            child(item, passed ? tr("PASS") : tr("FAIL"), QString::fromStdString(check));
        }
        results_->addTopLevelItem(item);
        item->setExpanded(true);
    }
    if (steps.empty()) {
        results_->addTopLevelItem(new QTreeWidgetItem({tr("Nothing ran"), QString()}));
    }
    results_->resizeColumnToContents(0);
}

} // namespace benchdeck::ui
