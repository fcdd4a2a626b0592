// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QSortFilterProxyModel>

namespace benchdeck::ui {

// The history as the user narrows it: words matched against the label, candidate, target, URL,
// plan and note (all must appear, in any of them), and a status.
class RunHistoryFilter : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit RunHistoryFilter(QObject* parent = nullptr);

    void setText(const QString& text);
    void setStatus(const QString& status); // empty: any
    QString status() const { return status_; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    QStringList words_;
    QString status_;
};

} // namespace benchdeck::ui
