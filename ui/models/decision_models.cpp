// SPDX-License-Identifier: Apache-2.0
#include "decision_models.h"

#include <QApplication>
#include <QColor>
#include <QPalette>

namespace benchdeck::ui {
namespace {

QColor verdictColor(decision::Verdict verdict)
{
    // Tinted, not saturated, so that text stays legible on light and dark palettes alike.
    const bool dark = QApplication::palette().color(QPalette::Base).lightness() < 128;
    switch (verdict) {
    case decision::Verdict::BestChoice: return dark ? QColor(0x1b, 0x5e, 0x20) : QColor(0xc8, 0xe6, 0xc9);
    case decision::Verdict::Workable: return dark ? QColor(0x6d, 0x55, 0x00) : QColor(0xff, 0xec, 0xb3);
    case decision::Verdict::Limited: return dark ? QColor(0x7f, 0x1d, 0x1d) : QColor(0xff, 0xcd, 0xd2);
    case decision::Verdict::Unknown: return {};
    }
    return {};
}

} // namespace

DecisionTableModel::DecisionTableModel(DecisionState* state, QObject* parent)
    : QAbstractTableModel(parent)
    , state_(state)
{
    refresh();
}

void DecisionTableModel::refresh()
{
    beginResetModel();
    cells_ = state_->model.evaluate(state_->facts);
    endResetModel();
}

int DecisionTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(state_->model.needs().size());
}

int DecisionTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(state_->facts.size());
}

QVariant DecisionTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) ||
        size_t(index.row()) >= cells_.size() || size_t(index.column()) >= cells_[size_t(index.row())].size()) {
        return {};
    }
    const auto& cell = cells_[size_t(index.row())][size_t(index.column())];
    switch (role) {
    case Qt::DisplayRole:
        return cell.verdict == decision::Verdict::Unknown
                   ? QString::fromUtf8(decision::verdictLabel(cell.verdict).data())
                   : QStringLiteral("%1 · %2").arg(cell.score, 0, 'f', 0).arg(
                         QString::fromUtf8(decision::verdictLabel(cell.verdict).data()));
    case Qt::ToolTipRole: return QString::fromStdString(cell.explanation);
    case Qt::BackgroundRole: {
        const QColor color = verdictColor(cell.verdict);
        return color.isValid() ? QVariant(color) : QVariant();
    }
    case Qt::TextAlignmentRole: return QVariant(Qt::AlignCenter);
    case ScoreRole: return cell.score;
    case VerdictRole: return QString::fromUtf8(decision::verdictLabel(cell.verdict).data());
    default: return {};
    }
}

QVariant DecisionTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole) {
        return {};
    }
    if (orientation == Qt::Horizontal) {
        // Each column names the runs its measured cells come from.
        return section < int(state_->facts.size())
                   ? QString::fromStdString(state_->facts[size_t(section)].name) + QLatin1Char('\n') +
                         QString::fromStdString(decision::runsText(state_->facts[size_t(section)]))
                                                   : QVariant();
    }
    const auto& needs = state_->model.needs();
    return section < int(needs.size()) ? QString::fromStdString(needs[size_t(section)].name) : QVariant();
}

WeightsModel::WeightsModel(DecisionState* state, QObject* parent)
    : QAbstractTableModel(parent)
    , state_(state)
{
}

void WeightsModel::refresh()
{
    beginResetModel();
    endResetModel();
}

int WeightsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(state_->model.criteria().size());
}

int WeightsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(state_->model.needs().size());
}

QVariant WeightsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    if (role == Qt::DisplayRole || role == Qt::EditRole) {
        const auto& criterion = state_->model.criteria()[size_t(index.row())];
        const auto& need = state_->model.needs()[size_t(index.column())];
        return state_->model.weight(need.id, criterion.id);
    }
    if (role == Qt::TextAlignmentRole) {
        return QVariant(Qt::AlignCenter);
    }
    return {};
}

bool WeightsModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    bool ok = false;
    const double weight = value.toDouble(&ok);
    if (role != Qt::EditRole || !ok || !checkIndex(index, CheckIndexOption::IndexIsValid)) {
        return false;
    }
    const auto& criterion = state_->model.criteria()[size_t(index.row())];
    const auto& need = state_->model.needs()[size_t(index.column())];
    if (!state_->model.setWeight(need.id, criterion.id, weight)) {
        return false;
    }
    emit dataChanged(index, index);
    emit edited();
    return true;
}

Qt::ItemFlags WeightsModel::flags(const QModelIndex& index) const
{
    return QAbstractTableModel::flags(index) | (index.isValid() ? Qt::ItemIsEditable : Qt::NoItemFlags);
}

QVariant WeightsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole) {
        return {};
    }
    if (orientation == Qt::Horizontal) {
        const auto& needs = state_->model.needs();
        return section < int(needs.size()) ? QString::fromStdString(needs[size_t(section)].name) : QVariant();
    }
    const auto& criteria = state_->model.criteria();
    if (section >= int(criteria.size())) {
        return {};
    }
    const auto& criterion = criteria[size_t(section)];
    return role == Qt::ToolTipRole ? QString::fromStdString(criterion.description)
                                   : QString::fromStdString(criterion.name) +
                                         (criterion.metric ? tr(" (measured)") : QString());
}

ScoresModel::ScoresModel(DecisionState* state, QObject* parent)
    : QAbstractTableModel(parent)
    , state_(state)
{
}

std::vector<const decision::Criterion*> ScoresModel::qualitative() const
{
    std::vector<const decision::Criterion*> list;
    for (const auto& criterion : state_->model.criteria()) {
        if (!criterion.metric) {
            list.push_back(&criterion);
        }
    }
    return list;
}

void ScoresModel::refresh()
{
    beginResetModel();
    endResetModel();
}

int ScoresModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(qualitative().size());
}

int ScoresModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(state_->facts.size());
}

QVariant ScoresModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const auto* criterion = qualitative()[size_t(index.row())];
    const auto& facts = state_->facts[size_t(index.column())];
    if (role == Qt::DisplayRole || role == Qt::EditRole) {
        const auto found = facts.qualitative.find(criterion->id);
        return found != facts.qualitative.end() ? QVariant(found->second) : QVariant();
    }
    if (role == Qt::ToolTipRole) {
        const auto* fallback = criterion->defaultFor(facts.stack);
        return fallback ? tr("Template default for %1: %2 (%3)")
                              .arg(QString::fromStdString(facts.stack))
                              .arg(fallback->score)
                              .arg(QString::fromStdString(fallback->rationale))
                        : QVariant();
    }
    if (role == Qt::TextAlignmentRole) {
        return QVariant(Qt::AlignCenter);
    }
    return {};
}

bool ScoresModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    bool ok = false;
    const double score = value.toDouble(&ok);
    if (role != Qt::EditRole || !ok || score < 1 || score > 5 || !checkIndex(index, CheckIndexOption::IndexIsValid)) {
        return false;
    }
    state_->facts[size_t(index.column())].qualitative[qualitative()[size_t(index.row())]->id] = score;
    emit dataChanged(index, index);
    emit edited();
    return true;
}

Qt::ItemFlags ScoresModel::flags(const QModelIndex& index) const
{
    return QAbstractTableModel::flags(index) | (index.isValid() ? Qt::ItemIsEditable : Qt::NoItemFlags);
}

QVariant ScoresModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole) {
        return {};
    }
    if (orientation == Qt::Horizontal) {
        // Each column names the runs its measured cells come from.
        return section < int(state_->facts.size())
                   ? QString::fromStdString(state_->facts[size_t(section)].name) + QLatin1Char('\n') +
                         QString::fromStdString(decision::runsText(state_->facts[size_t(section)]))
                                                   : QVariant();
    }
    const auto list = qualitative();
    return section < int(list.size()) ? QString::fromStdString(list[size_t(section)]->name) : QVariant();
}

} // namespace benchdeck::ui
