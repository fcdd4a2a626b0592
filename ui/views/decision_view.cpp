// SPDX-License-Identifier: Apache-2.0
#include "decision_view.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace benchdeck::ui {
namespace {

QTableView* makeTable(QAbstractItemModel* model, QWidget* parent)
{
    auto* table = new QTableView(parent);
    table->setModel(model);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table->setWordWrap(true);
    return table;
}

} // namespace

DecisionView::DecisionView(QWidget* parent)
    : QWidget(parent)
{
    hint_ = new QLabel(this);
    hint_->setWordWrap(true);
    decisionTable_ = makeTable(&decision_, this);
    decisionTable_->setAccessibleName(tr("Decision table: needs by candidates"));
    decisionTable_->setSelectionBehavior(QAbstractItemView::SelectRows);
    decisionTable_->setMinimumHeight(220);
    weightsTable_ = makeTable(&weights_, this);
    scoresTable_ = makeTable(&scores_, this);
    weightsTable_->setAccessibleName(tr("Weights: criteria by needs"));
    scoresTable_->setAccessibleName(tr("Qualitative scores: criteria by candidates"));
    for (auto* table : {weightsTable_, scoresTable_}) {
        table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
        table->horizontalHeader()->setStretchLastSection(true);
    }
    weightsTable_->setToolTip(tr("How much each criterion matters for each need, 0 (not at all) to 5"));
    scoresTable_->setToolTip(tr("Your scores, 1 (poor) to 5 (excellent); defaults come from the template"));

    auto* tabs = new QTabWidget(this);
    tabs_ = tabs;
    tabs->addTab(weightsTable_, tr("&Weights (criteria × needs)"));
    tabs->addTab(scoresTable_, tr("Sco&res (qualitative criteria × candidates)"));
    auto* buttons = new QHBoxLayout();
    const auto button = [&](const QString& text, void (DecisionView::*slot)()) {
        auto* b = new QPushButton(text, this);
        connect(b, &QPushButton::clicked, this, slot);
        buttons->addWidget(b);
    };
    button(tr("Add need…"), &DecisionView::addNeed);
    button(tr("Rename need…"), &DecisionView::renameNeed);
    button(tr("Remove need"), &DecisionView::removeNeed);
    button(tr("Add criterion…"), &DecisionView::addCriterion);
    button(tr("Add step latency criterion…"), &DecisionView::addStepCriterion);
    button(tr("Rename criterion…"), &DecisionView::renameCriterion);
    button(tr("Remove criterion"), &DecisionView::removeCriterion);
    buttons->addStretch(1);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(decisionTable_);
    auto* lower = new QWidget(splitter);
    auto* lowerLayout = new QVBoxLayout(lower);
    lowerLayout->setContentsMargins(0, 0, 0, 0);
    lowerLayout->addLayout(buttons);
    lowerLayout->addWidget(tabs);
    splitter->addWidget(lower);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(hint_);
    layout->addWidget(splitter, 1);

    const auto recompute = [this] {
        decision_.refresh();
        emit changed();
    };
    connect(&weights_, &WeightsModel::edited, this, recompute);
    connect(&scores_, &ScoresModel::edited, this, recompute);
}

void DecisionView::setState(DecisionState state)
{
    decision_.beginChange();
    weights_.beginChange();
    scores_.beginChange();
    state_ = std::move(state);
    decision_.endChange();
    weights_.endChange();
    scores_.endChange();
    if (!state_.refusal.empty()) {
        hint_->setStyleSheet(QStringLiteral("QLabel { color: #c62828; font-weight: bold; }"));
        hint_->setText(QString::fromStdString(state_.refusal));
    } else {
        hint_->setStyleSheet(QString());
        QStringList lines{state_.facts.empty()
                              ? tr("Add candidates and run their targets: measured criteria come from the runs "
                                   "being compared, qualitative ones from the scores below.")
                              : tr("Measured criteria come from the runs being compared (select runs, Ctrl+D), "
                                   "or the last campaign; each column names its runs. Hover a cell for the "
                                   "numbers and weights behind it.")};
        for (const auto& note : state_.notes) {
            lines << QString::fromStdString(note);
        }
        hint_->setText(lines.join(QLatin1Char('\n')));
    }
    refreshAll();
}

void DecisionView::refreshAll()
{
    decision_.refresh();
    weights_.refresh();
    scores_.refresh();
}

void DecisionView::addNeed()
{
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Add need"), tr("Name of the need:"), QLineEdit::Normal,
                                               QString(), &ok);
    if (ok && !name.trimmed().isEmpty()) {
        decision::Need need;
        need.name = name.trimmed().toStdString();
        state_.model.addNeed(std::move(need));
        refreshAll();
        emit changed();
    }
}

void DecisionView::renameNeed()
{
    const int row = decisionTable_->currentIndex().row();
    if (row < 0 || row >= int(state_.model.needs().size())) {
        return;
    }
    const auto& need = state_.model.needs()[size_t(row)];
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Rename need"), tr("New name:"), QLineEdit::Normal,
                                               QString::fromStdString(need.name), &ok);
    if (ok && !name.trimmed().isEmpty() && state_.model.renameNeed(need.id, name.trimmed().toStdString())) {
        refreshAll();
        emit changed();
    }
}

void DecisionView::removeNeed()
{
    const int row = decisionTable_->currentIndex().row();
    if (row < 0 || row >= int(state_.model.needs().size()) ||
        QMessageBox::question(this, tr("Remove need"),
                              tr("Remove \"%1\"?").arg(QString::fromStdString(state_.model.needs()[size_t(row)].name))) !=
            QMessageBox::Yes) {
        return;
    }
    if (state_.model.removeNeed(state_.model.needs()[size_t(row)].id)) {
        refreshAll();
        emit changed();
    }
}

void DecisionView::addCriterion()
{
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Add criterion"),
                                               tr("Name of a qualitative criterion (scored 1-5):"),
                                               QLineEdit::Normal, QString(), &ok);
    if (ok && !name.trimmed().isEmpty()) {
        decision::Criterion criterion;
        criterion.name = name.trimmed().toStdString();
        const std::string id = state_.model.addCriterion(std::move(criterion));
        for (auto& facts : state_.facts) {
            facts.qualitative.emplace(id, decision::kNeutralScore);
        }
        refreshAll();
        emit changed();
    }
}

void DecisionView::addStepCriterion()
{
    QStringList steps;
    for (const auto& step : decision::measuredSteps(state_.facts)) {
        steps << QString::fromStdString(step);
    }
    // Editable: the step may be one the weighed runs do not have yet, or be written "scenario/step".
    bool ok = false;
    const QString step = QInputDialog::getItem(
        this, tr("Add step latency criterion"),
        steps.isEmpty() ? tr("No weighed run is a scenario run. Step whose p99 latency to weigh (\"step\", or "
                             "\"scenario/step\" when scenarios share a step name):")
                        : tr("Step whose p99 latency to weigh (\"scenario/step\" when scenarios share a step name):"),
        steps, 0, true, &ok);
    if (!ok || step.trimmed().isEmpty()) {
        return;
    }
    state_.model.addCriterion(decision::stepLatencyCriterion(step.trimmed().toStdString()));
    refreshAll();
    // It weighs nothing until the user gives it weights: show its row.
    tabs_->setCurrentWidget(weightsTable_);
    const QModelIndex added = weights_.index(weights_.rowCount() - 1, 0);
    weightsTable_->setCurrentIndex(added);
    weightsTable_->scrollTo(added);
    emit changed();
}

std::string DecisionView::currentCriterion() const
{
    if (tabs_->currentWidget() == scoresTable_) {
        const int row = scoresTable_->currentIndex().row();
        int seen = 0;
        for (const auto& criterion : state_.model.criteria()) {
            if (!criterion.metric && seen++ == row) {
                return criterion.id;
            }
        }
        return {};
    }
    const int row = weightsTable_->currentIndex().row();
    return row >= 0 && row < int(state_.model.criteria().size()) ? state_.model.criteria()[size_t(row)].id
                                                                  : std::string();
}

void DecisionView::renameCriterion()
{
    const auto* found = state_.model.criterion(currentCriterion());
    if (!found) {
        return;
    }
    const auto& criterion = *found;
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Rename criterion"), tr("New name:"), QLineEdit::Normal,
                                               QString::fromStdString(criterion.name), &ok);
    if (ok && !name.trimmed().isEmpty() && state_.model.renameCriterion(criterion.id, name.trimmed().toStdString())) {
        refreshAll();
        emit changed();
    }
}

void DecisionView::removeCriterion()
{
    const auto* criterion = state_.model.criterion(currentCriterion());
    if (!criterion ||
        QMessageBox::question(this, tr("Remove criterion"),
                              tr("Remove \"%1\" and its weights?").arg(QString::fromStdString(criterion->name))) !=
            QMessageBox::Yes) {
        return;
    }
    if (state_.model.removeCriterion(criterion->id)) {
        refreshAll();
        emit changed();
    }
}

} // namespace benchdeck::ui
