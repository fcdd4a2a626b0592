// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "models/decision_models.h"

#include <QWidget>

class QLabel;
class QTabWidget;
class QTableView;

namespace benchdeck::ui {

// The decision table with its weights and scores beside it. Edits recompute the table at once and
// are announced with changed(), so the window can keep them in the session.
class DecisionView : public QWidget {
    Q_OBJECT
public:
    explicit DecisionView(QWidget* parent = nullptr);

    void setState(DecisionState state);
    const DecisionState& state() const { return state_; }
    DecisionTableModel* decisionModel() { return &decision_; }
    WeightsModel* weightsModel() { return &weights_; }
    ScoresModel* scoresModel() { return &scores_; }

signals:
    void changed();

private:
    void refreshAll();
    void addNeed();
    void renameNeed();
    void removeNeed();
    void addCriterion();
    void addStepCriterion();
    void renameCriterion();
    void removeCriterion();

    DecisionState state_;
    DecisionTableModel decision_{&state_};
    WeightsModel weights_{&state_};
    ScoresModel scores_{&state_};
    QTableView* decisionTable_;
    QTableView* weightsTable_;
    QTableView* scoresTable_;
    QTabWidget* tabs_ = nullptr;
    // The criterion selected in whichever of the weights and scores tables is showing.
    std::string currentCriterion() const;
    QLabel* hint_;
};

} // namespace benchdeck::ui
