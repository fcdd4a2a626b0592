// SPDX-License-Identifier: Apache-2.0
#include "session_tree_model.h"

#include "engine/scenario_plan.h"
#include "plan/plan_codec.h"

#include <QIcon>

#include <map>

namespace benchdeck::ui {

void SessionTreeModel::setContent(const std::vector<store::Candidate>& candidates,
                                  const std::vector<store::Target>& targets)
{
    clear();
    std::map<int64_t, QStandardItem*> byId;
    for (const auto& candidate : candidates) {
        const QString name = QString::fromStdString(candidate.name);
        auto* item = new QStandardItem(candidate.stack.empty()
                                           ? name
                                           : QStringLiteral("%1  [%2]").arg(name, QString::fromStdString(candidate.stack)));
        item->setToolTip(candidate.notes.empty() ? name : name + QLatin1Char('\n') + QString::fromStdString(candidate.notes));
        item->setData(qint64(candidate.id), IdRole);
        item->setData(int(CandidateItem), KindRole);
        item->setEditable(false);
        appendRow(item);
        byId[candidate.id] = item;
    }
    auto unassigned = std::make_unique<QStandardItem>(tr("(no candidate)"));
    unassigned->setData(int(CandidateItem), KindRole);
    unassigned->setData(qint64(0), IdRole);
    unassigned->setEditable(false);
    for (const auto& target : targets) {
        const QString url = QString::fromStdString(target.request.url);
        auto* item = new QStandardItem(target.name.empty() ? url : QString::fromStdString(target.name));
        if (const auto& scenario = target.request.scenario) {
            const auto steps = scenario->stepCount();
            item->setToolTip(tr("Scenario of %n step(s) against %1", nullptr, int(steps)).arg(url));
            item->setIcon(QIcon::fromTheme(QStringLiteral("view-list-details")));
        } else {
            item->setToolTip(QStringLiteral("%1 %2").arg(QString::fromStdString(target.request.method), url));
        }
        item->setData(qint64(target.id), IdRole);
        item->setData(int(TargetItem), KindRole);
        item->setEditable(false);
        const auto parent = byId.find(target.candidateId);
        (parent != byId.end() ? parent->second : unassigned.get())->appendRow(item);
    }
    if (unassigned->rowCount() > 0) {
        appendRow(unassigned.release());
    }
}

int64_t SessionTreeModel::targetAt(const QModelIndex& index)
{
    if (!index.isValid()) {
        return 0;
    }
    if (index.data(KindRole).toInt() == TargetItem) {
        return index.data(IdRole).toLongLong();
    }
    const QModelIndex first = index.model()->index(0, 0, index);
    return first.isValid() ? first.data(IdRole).toLongLong() : 0;
}

int64_t SessionTreeModel::candidateAt(const QModelIndex& index)
{
    if (!index.isValid()) {
        return 0;
    }
    return (index.data(KindRole).toInt() == TargetItem ? index.parent() : index).data(IdRole).toLongLong();
}

QModelIndex SessionTreeModel::indexOfTarget(int64_t targetId) const
{
    for (int row = 0; row < rowCount(); ++row) {
        const QStandardItem* candidate = item(row);
        for (int child = 0; child < candidate->rowCount(); ++child) {
            if (candidate->child(child)->data(IdRole).toLongLong() == targetId) {
                return candidate->child(child)->index();
            }
        }
    }
    return {};
}

void ProfileListModel::setProfiles(const std::vector<store::Profile>& profiles)
{
    clear();
    for (const auto& profile : profiles) {
        auto* item = new QStandardItem(QString::fromStdString(profile.name));
        QString tip = QString::fromStdString(plan::describe(profile.load));
        for (const auto& threshold : profile.load.thresholds) {
            tip += QLatin1Char('\n') + tr("threshold %1").arg(QString::fromStdString(threshold));
        }
        item->setToolTip(tip);
        item->setData(qint64(profile.id), SessionTreeModel::IdRole);
        item->setEditable(false);
        appendRow(item);
    }
}

int64_t ProfileListModel::profileAt(const QModelIndex& index)
{
    return index.isValid() ? index.data(SessionTreeModel::IdRole).toLongLong() : 0;
}

QModelIndex ProfileListModel::indexOfProfile(int64_t profileId) const
{
    for (int row = 0; row < rowCount(); ++row) {
        if (item(row)->data(SessionTreeModel::IdRole).toLongLong() == profileId) {
            return index(row, 0);
        }
    }
    return {};
}

} // namespace benchdeck::ui
