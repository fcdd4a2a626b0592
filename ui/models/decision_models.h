// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "decision/decision_model.h"

#include <QAbstractTableModel>

#include <vector>

namespace benchdeck::ui {

// The decision, the weights and the scores share one DecisionModel and one set of candidate facts;
// each table model shows one face of them and announces edits, so all three stay in step.
struct DecisionState {
    decision::DecisionModel model = decision::DecisionModel::goVsPythonTemplate();
    std::vector<int64_t> candidateIds;
    std::vector<decision::CandidateFacts> facts;
    std::string refusal;            // measured criteria were not weighed, and why
    std::vector<std::string> notes; // chosen runs left out, within-noise ties
};

// Needs × candidates: score and verdict, colour-coded, the numbers behind them in the tooltip.
class DecisionTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Role { ScoreRole = Qt::UserRole + 1, VerdictRole };
    explicit DecisionTableModel(DecisionState* state, QObject* parent = nullptr);
    void refresh();
    // Around a change of the shared state made from outside, as the model/view contract requires.
    void beginChange() { beginResetModel(); }
    void endChange() { endResetModel(); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    DecisionState* state_;
    std::vector<std::vector<decision::Cell>> cells_;
};

// Criteria × needs: the weights (0-5), editable.
class WeightsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    explicit WeightsModel(DecisionState* state, QObject* parent = nullptr);
    void refresh();
    // Around a change of the shared state made from outside, as the model/view contract requires.
    void beginChange() { beginResetModel(); }
    void endChange() { endResetModel(); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

signals:
    void edited();

private:
    DecisionState* state_;
};

// Qualitative criteria × candidates: the user's 1-5 scores, editable.
class ScoresModel : public QAbstractTableModel {
    Q_OBJECT
public:
    explicit ScoresModel(DecisionState* state, QObject* parent = nullptr);
    void refresh();
    // Around a change of the shared state made from outside, as the model/view contract requires.
    void beginChange() { beginResetModel(); }
    void endChange() { endResetModel(); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

signals:
    void edited();

private:
    std::vector<const decision::Criterion*> qualitative() const;
    DecisionState* state_;
};

} // namespace benchdeck::ui
