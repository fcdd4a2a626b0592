// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/session_content.h"

#include <QStandardItemModel>

#include <vector>

namespace benchdeck::ui {

// The sidebar's tree: candidates with their targets under them, and "(no candidate)" for targets
// without one. Items carry their id and kind; names elide in the view and show whole in tooltips.
class SessionTreeModel : public QStandardItemModel {
    Q_OBJECT
public:
    enum Role { IdRole = Qt::UserRole + 1, KindRole };
    enum Kind { CandidateItem = 1, TargetItem };

    using QStandardItemModel::QStandardItemModel;

    void setContent(const std::vector<store::Candidate>& candidates, const std::vector<store::Target>& targets);
    // The target an index stands for: itself, or a candidate's first target; 0 for none.
    static int64_t targetAt(const QModelIndex& index);
    // The candidate an index belongs to (a target's parent); 0 for none.
    static int64_t candidateAt(const QModelIndex& index);
    QModelIndex indexOfTarget(int64_t targetId) const;
};

// The load profiles, one row each, with their thresholds in the tooltip.
class ProfileListModel : public QStandardItemModel {
    Q_OBJECT
public:
    using QStandardItemModel::QStandardItemModel;

    void setProfiles(const std::vector<store::Profile>& profiles);
    static int64_t profileAt(const QModelIndex& index);
    QModelIndex indexOfProfile(int64_t profileId) const;
};

} // namespace benchdeck::ui
